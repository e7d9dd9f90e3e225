window.YTD.account.part0 = [ { "account" : { "username" : "OldDesk", "accountId" : "5" } } ]
