window.YTD.tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1198000000000000001"
          ],
          "editableUntil": "2019-11-22T15:03:11.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "Europol",
            "indices": [
              "56",
              "64"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/AbCdEf1234",
            "expanded_url": "https://www.example.org/news/takedown?utm_medium=social&id=7",
            "display_url": "example.org/news/takedown…",
            "indices": [
              "65",
              "88"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "88"
      ],
      "favorite_count": "12",
      "id_str": "1198000000000000001",
      "truncated": false,
      "retweet_count": "4",
      "id": "1198000000000000001",
      "created_at": "Fri Nov 22 14:03:11 +0000 2019",
      "favorited": false,
      "full_text": "Channels &amp; bots removed in a joint action &gt; 100 #Europol https://t.co/AbCdEf1234",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "OSINT Desk",
            "screen_name": "osint_desk",
            "indices": [
              "3",
              "14"
            ],
            "id_str": "42",
            "id": "42"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "80"
      ],
      "favorite_count": "0",
      "id_str": "1198000000000000002",
      "truncated": false,
      "retweet_count": "0",
      "id": "1198000000000000002",
      "created_at": "Fri Nov 22 15:30:45 +0000 2019",
      "favorited": false,
      "full_text": "RT @osint_desk: The archive of removed channels is now searchable for researchers.",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Example Desk",
            "screen_name": "example_desk",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "43",
            "id": "43"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "14",
        "60"
      ],
      "favorite_count": "1",
      "in_reply_to_status_id_str": "1197999999999999999",
      "id_str": "1198000000000000003",
      "in_reply_to_user_id": "43",
      "truncated": false,
      "retweet_count": "0",
      "id": "1198000000000000003",
      "in_reply_to_status_id": "1197999999999999999",
      "created_at": "Sat Nov 23 08:00:00 +0000 2019",
      "favorited": false,
      "full_text": "@example_desk Le rapport complet est très utile, merci beaucoup.",
      "lang": "fr",
      "in_reply_to_screen_name": "example_desk",
      "in_reply_to_user_id_str": "43"
    }
  }
]