window.YTD.tweet.part0 = [ {
  "tweet" : {
    "retweeted" : false,
    "source" : "<a href=\"http://twitter.com\" rel=\"nofollow\">Twitter Web Client</a>",
    "entities" : { "hashtags" : [ ], "symbols" : [ ], "user_mentions" : [ ], "urls" : [ ] },
    "display_text_range" : [ "0", "58" ],
    "favorite_count" : "0",
    "id_str" : "600000000000000001",
    "truncated" : false,
    "retweet_count" : "0",
    "id" : "600000000000000001",
    "created_at" : "Mon May 18 09:00:00 +0000 2015",
    "favorited" : false,
    "full_text" : "Reading the new report on online radicalisation this morning",
    "lang" : "en"
  }
} ]
