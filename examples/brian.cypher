// Brian's story: over ten years he met 14 public services. The yearly cost to the public
// purse of his crisis presentations peaked at £466,080; once services worked relationally
// with him it fell to about £2,000.
//   steward --db /tmp/hls-demo run examples/brian.cypher
// Runs on its own or after life-as-a-system.cypher (quick capture finds Brian and the
// emergency services rather than adding them again). The two cost figures are those of
// Brian's story; the services' names and the years are illustrative. Ask it as it was:
//   AS OF 2016 SHOW "Brian"      WHAT CHANGED FOR "Brian" BETWEEN 2016 AND 2019

ACTOR "Brian" AS Person;
ACTOR "Emergency services" AS Service;
FACTOR "Housing and neighbourhood conditions" AT place SCALE;

// The 14 services he met, and the year he first met each.
ACTOR "Police" AS Service;
ACTOR "Ambulance service" AS Service;
ACTOR "Emergency department" AS Service;
ACTOR "GP practice" AS Service;
ACTOR "Mental health crisis team" AS Service;
ACTOR "Community mental health team" AS Service;
ACTOR "Drug and alcohol service" AS Service;
ACTOR "Housing options" AS Service;
ACTOR "Homelessness outreach" AS Service;
ACTOR "Hostel" AS Service;
ACTOR "Probation" AS Service;
ACTOR "Magistrates' court" AS Service;
ACTOR "Jobcentre" AS Service;
ACTOR "Adult social care" AS Service;

LINK "Police" -[:PART_OF]-> "Emergency services";
LINK "Ambulance service" -[:PART_OF]-> "Emergency services";
LINK "Emergency department" -[:PART_OF]-> "Emergency services";

// When he was in touch with each, in valid time (FROM the start of a year UNTIL the end
// of one): the crisis services until relational working took hold in 2017, the others on.
LINK "Brian" -[:MET]-> "GP practice" FROM 2010;
LINK "Brian" -[:MET]-> "Police" FROM 2010 UNTIL 2017;
LINK "Brian" -[:MET]-> "Emergency department" FROM 2011 UNTIL 2017;
LINK "Brian" -[:MET]-> "Ambulance service" FROM 2011 UNTIL 2016;
LINK "Brian" -[:MET]-> "Drug and alcohol service" FROM 2012 UNTIL 2018;
LINK "Brian" -[:MET]-> "Housing options" FROM 2012 UNTIL 2016;
LINK "Brian" -[:MET]-> "Magistrates' court" FROM 2013 UNTIL 2015;
LINK "Brian" -[:MET]-> "Probation" FROM 2013 UNTIL 2016;
LINK "Brian" -[:MET]-> "Mental health crisis team" FROM 2014 UNTIL 2017;
LINK "Brian" -[:MET]-> "Hostel" FROM 2014 UNTIL 2016;
LINK "Brian" -[:MET]-> "Homelessness outreach" FROM 2015;
LINK "Brian" -[:MET]-> "Jobcentre" FROM 2015;
LINK "Brian" -[:MET]-> "Adult social care" FROM 2016;
LINK "Brian" -[:MET]-> "Community mental health team" FROM 2017;

// How the services were linked to each other and to his housing.
LINK "Police" -[:REFERS_TO]-> "Mental health crisis team";
LINK "Emergency department" -[:REFERS_TO]-> "Drug and alcohol service";
LINK "Housing options" -[:REFERS_TO]-> "Hostel";
LINK "Homelessness outreach" -[:WORKS_ON]-> "Housing and neighbourhood conditions";
LINK "Housing options" -[:WORKS_ON]-> "Housing and neighbourhood conditions";

// The yearly cost of his crisis presentations: the peak, and after relational working.
MATCH (b:Actor {name: 'Brian'})
UNWIND [{year: 2016, gbp: 466080, note: 'peak'},
        {year: 2019, gbp: 2000, note: 'about, once services worked relationally'}] AS c
MERGE (b)-[:CRISIS_COST]->(y:YearlyCost {year: c.year})
SET y.name = 'Crisis cost ' + c.year, y.gbp = c.gbp, y.note = c.note,
    y.valid_from = date({year: c.year}), y.valid_until = date({year: c.year, month: 12, day: 31});

LEARNT "Brian's crisis presentations stopped once he had a stable tenancy"
  ABOUT "Brian", "Housing and neighbourhood conditions" HOW "reflection meeting" ON date('2024-03-01');
LEARNT "Fourteen services each held a fragment; nobody held the relationship"
  ABOUT "Brian", "Emergency services" HOW "case review" ON date('2023-11-15');

// The services, the years, and the fall in cost.
MATCH (:Actor {name: 'Brian'})-[m:MET]->(s:Service)
WITH m.valid_from.year AS year, s.name AS service ORDER BY service
RETURN year, collect(service) AS services_first_met ORDER BY year;

MATCH (:Actor {name: 'Brian'})-[:CRISIS_COST]->(y:YearlyCost)
WITH y ORDER BY y.year
WITH collect(y) AS years
RETURN [y IN years | y.year + ': £' + toString(y.gbp)] AS yearly_cost,
       years[0].gbp - years[-1].gbp AS fall_gbp,
       round(100.0 * (years[0].gbp - years[-1].gbp) / years[0].gbp, 1) AS fall_percent;
