// A map that stays tidy: near-duplicate labels and types, and the scale rule's labels.
ACTOR "GP practice" AS Servce;
ACTOR "GP practice" AS service;
ACTOR "GP practice" AS Service;
ACTOR "Walk-in centre" AS NEW Servce AT organisation SCALE;
ACTOR "Walk-in centre" AS Servce;
ACTOR "Brian" AS Persn;
ACTOR "Brian" AS Person;
FACTOR "Health";
LINK "Brian" -[:AFFECTED_BY]-> "Health";
LINK "GP practice" -[:AFECTED_BY]-> "Health";
LINK "GP practice" -[:affected_by]-> "Health";
LINK "GP practice" -[:NEW AFECTED_BY]-> "Health";
LINK "GP practice" -[:SHAPES]-> "Health";
LINK "GP practice" -[:RESPONDS_TO]-> "Health";
// Cypher's own CREATE is not refused.
CREATE (:Actor:Servic {name: 'Clinic', scale: 'organisation'})-[:AFFECTED_BYY]->(:Factor {name: 'Waits'});
// Labels imply scales; an unknown label asks for one.
ACTOR "Shelter" AS Charity;
ACTOR "Ward 4" AS Team;
ACTOR "Plymouth" AS City;
ACTOR "Stonehouse" AS Neighbourhood;
ACTOR "Bob" AS Friend;
ACTOR "Food bank" AS Volunteers;
ACTOR "Food bank" AS Volunteers AT organisation SCALE;
ACTOR "Mo";
MATCH (n:Actor) RETURN n.name AS name, labels(n) AS labels, n.scale AS scale, n.scale_given AS given ORDER BY name;
// A defaulted scale follows the labels; a given one never changes.
ACTOR "Mo" AS Service;
ACTOR "Mo" AS Place;
ACTOR "Food bank" AS Place;
ACTOR "Bob" AS Volunteers;
MATCH (n:Actor) WHERE n.name IN ['Mo', 'Food bank', 'Bob'] RETURN n.name AS name, labels(n) AS labels, n.scale AS scale ORDER BY name;
// Setting a scale in Cypher gives it; removing it hands it back to the labels.
MATCH (n {name: 'Mo'}) SET n.scale = 'person';
ACTOR "Mo" AS Town;
MATCH (n {name: 'Mo'}) RETURN n.scale AS scale, n.scale_given AS given;
MATCH (n {name: 'Mo'}) REMOVE n.scale;
MATCH (n {name: 'Mo'}) RETURN labels(n) AS labels, n.scale AS scale, n.scale_given AS given;
// MERGE: a given scale beats a defaulted one.
ACTOR "Ann" AS Person;
ACTOR "Ann's team" AS Person AT organisation SCALE;
MERGE "Ann's team" INTO "Ann";
MATCH (n {name: 'Ann'}) RETURN n.scale AS scale, n.scale_given AS given;
