// The map through time (valid time, AS OF, WHAT CHANGED) and through several eyes
// (SEEN BY, FROM THE VIEW OF, COMPARE VIEWS).
ACTOR "Brian" AS Person;
ACTOR "Hostel" AS Service FROM 2012 UNTIL 2016;
ACTOR "Housing First" AS Service FROM 2017;
FACTOR "Housing" FROM 2010;
LINK "Brian" -[:LIVED_IN]-> "Hostel" FROM 2014 UNTIL 2016;
LINK "Brian" -[:SUPPORTED_BY]-> "Housing First" FROM 2017-03;
LINK "Brian" -[:AFFECTED_BY]-> "Housing";
// Run again: already there (the same spell).
LINK "Brian" -[:LIVED_IN]-> "Hostel" FROM 2014 UNTIL 2016;
// Another spell is another relationship beside it.
LINK "Brian" -[:LIVED_IN]-> "Hostel" FROM 2019-02-01 UNTIL 2019-05;
// Times that are not times, and the wrong way round.
LINK "Brian" -[:VISITED]-> "Hostel" FROM 2016-13;
LINK "Brian" -[:VISITED]-> "Hostel" FROM 2016 UNTIL 2015;
ACTOR "Outreach team" AS Service;
LINK "Hostel" -[:TRUSTS {level: 5}]- "Outreach team" SEEN BY "Housing manager";
LINK "Hostel" -[:TRUSTS {level: 1}]- "Outreach team" SEEN BY "Outreach worker";
LINK "Hostel" -[:TRUSTS {level: 1}]- "Outreach team" SEEN BY "outreach worker";
LINK "Hostel" -[:REFERS_TO]-> "Outreach team" SEEN BY "Housing manager";
LINK "Hostel" -[:REFERS_TO]-> "Outreach team" SEEN BY "Outreach worker";
SHOW "Brian";
AS OF 2015 SHOW "Brian";
AS OF 2018 SHOW "Brian";
AS OF 2019-03 SHOW "Brian";
AS OF 2015 PATHS FROM "Brian" TO "Outreach team";
AS OF 2018 PATHS FROM "Brian" TO "Outreach team";
AS OF 2011 SHOW "Hostel";
AS OF 2016-13 SHOW "Brian";
AS OF 2015 MATCH (b:Person {name: 'Brian'})-->(x) RETURN x.name ORDER BY x.name;
AS OF 2015 MATCH (n:Actor) RETURN n.name ORDER BY n.name;
AS OF 2015 LINK "Brian" -[:MET]-> "Hostel";
WHAT CHANGED FOR "Brian" BETWEEN 2015 AND 2018;
WHAT CHANGED FOR "Brian" BETWEEN 2015 AND 2018 WITHIN 2 STEPS;
WHAT CHANGED FOR "Brian" BETWEEN 2018 AND 2015;
COMPARE VIEWS;
COMPARE VIEWS OF "Outreach team";
WHERE VIEWS DIFFER?;
FROM THE VIEW OF "Housing manager" MATCH (a {name: 'Hostel'})-[r:TRUSTS]-(b) RETURN r.level, b.name;
FROM THE VIEW OF "Outreach worker" SHOW "Hostel";
FROM THE VIEW OF "Jo" FROM THE VIEW OF "Sam" SHOW "Hostel";
// A link whose later spell says something else changed (level 1 → 4); views stay apart.
LINK "Brian" -[:TRUSTS {level: 1}]-> "Outreach team" FROM 2014 UNTIL 2016;
LINK "Brian" -[:TRUSTS {level: 4}]-> "Outreach team" FROM 2017;
LINK "Brian" -[:TRUSTS {level: 2}]-> "Housing First" FROM 2014 UNTIL 2016 SEEN BY "Jo";
LINK "Brian" -[:TRUSTS {level: 2}]-> "Housing First" FROM 2017 SEEN BY "Jo";
LINK "Brian" -[:TRUSTS {level: 3}]-> "Hostel" FROM 2014 UNTIL 2016 SEEN BY "Jo";
LINK "Brian" -[:TRUSTS {level: 5}]-> "Hostel" FROM 2017 SEEN BY "Sam";
WHAT CHANGED FOR "Brian" BETWEEN 2015 AND 2018;
