window.YTD.account.part0 = [
  {
    "account": {
      "email": "someone@example.com",
      "createdVia": "web",
      "username": "WatchDesk",
      "accountId": "777",
      "createdAt": "2012-01-01T00:00:00.000Z",
      "accountDisplayName": "Watch Desk"
    }
  }
]