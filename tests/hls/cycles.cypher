// Learning cycles: stages, who learnt, what it came from, learning about the whole system.
ACTOR "Brian" AS Person;
FACTOR "Housing";
ACTOR "Housing First trial" AS Service;
LEARNT "Brian needs a stable home first" ABOUT "Brian", "Housing" HOW "conversation" AT explore STAGE BY "Jo" ON date('2017-02-01');
LEARNT "Keyworkers with small caseloads hold people" ABOUT "Brian" HOW "trial review" AT experiment STAGE FROM "Housing First trial" BY "Sam" ON date('2018-06-01');
LEARNT "The system fights itself" HOW "workshop" AT understand STAGE BY "Jo" ON date('2016-01-10');
// Again: already there.
LEARNT "The system fights itself" HOW "workshop" AT understand STAGE BY "Jo" ON date('2016-01-10');
LEARNT "Wrong stage" HOW "typo" AT explor STAGE;
LEARNT "Twice" HOW "typo" BY "Jo" BY "Sam";
WHAT HAVE WE LEARNT;
WHAT HAVE WE LEARNT SINCE 2017;
WHAT HAVE WE LEARNT SINCE 2017-03;
WHAT HAVE WE LEARNT BY "jo";
WHAT HAVE WE LEARNT AT experiment STAGE;
WHAT HAVE WE LEARNT ABOUT "Brian" SINCE 2018 BY "Sam" AT experiment STAGE?;
MATCH (l:Learning)-[:CAME_FROM]->(x) RETURN l.text, x.name;
