// "Life as a system": the map of one person's life, in quick capture. Brian is at the
// centre; around him the actors of his life and the factors that shape it.
//   steward --db /tmp/hls-demo run examples/life-as-a-system.cypher
// Every statement is idempotent: running the script twice changes nothing.

// The actors. Scales default from the label (Person, Family → person; Organisation,
// Service → organisation; Community, Place → place); AT ... SCALE overrides.
ACTOR "Brian" AS Person {born: 1978};
ACTOR "Brian's family" AS Family;
ACTOR "Brian's friends" AS Community AT person SCALE;
ACTOR "Parks and green spaces team" AS Organisation;
ACTOR "Culture and sport providers" AS Organisation;
ACTOR "Neighbourhood association" AS Community;
ACTOR "Community centre" AS Community;
ACTOR "Health service" AS Service;
ACTOR "Welfare and benefits" AS Service;
ACTOR "Emergency services" AS Service;
ACTOR "Local authority" AS Organisation;

// The factors that shape his life.
FACTOR "Income and wealth";
FACTOR "Employment status";
FACTOR "Education and skills";
FACTOR "Participation in neighbourhood activities" AT place SCALE;
FACTOR "Participation in democratic processes" AT place SCALE;
FACTOR "Hobbies and interests";
FACTOR "Relationship to the dominant culture" AT place SCALE;
FACTOR "Housing and neighbourhood conditions" AT place SCALE;
FACTOR "Health";
FACTOR "Ability to exercise agency";

// How Brian's life is shaped by the factors.
LINK "Brian" -[:AFFECTED_BY {strength: 5}]-> "Housing and neighbourhood conditions";
LINK "Brian" -[:AFFECTED_BY {strength: 4}]-> "Income and wealth";
LINK "Brian" -[:AFFECTED_BY {strength: 4}]-> "Health";
LINK "Brian" -[:AFFECTED_BY {strength: 3}]-> "Employment status";
LINK "Brian" -[:AFFECTED_BY {strength: 3}]-> "Ability to exercise agency";
LINK "Brian" -[:AFFECTED_BY {strength: 2}]-> "Hobbies and interests";
LINK "Brian" -[:AFFECTED_BY {strength: 1}]-> "Participation in neighbourhood activities";

// The people close to him.
LINK "Brian's family" -[:SUPPORTS]-> "Brian";
LINK "Brian" -[:KNOWS]- "Brian's friends";
LINK "Brian's friends" -[:SHARE]-> "Hobbies and interests";

// The factors shape one another.
LINK "Employment status" -[:SHAPES]-> "Income and wealth";
LINK "Education and skills" -[:SHAPES]-> "Employment status";
LINK "Income and wealth" -[:SHAPES]-> "Housing and neighbourhood conditions";
LINK "Housing and neighbourhood conditions" -[:SHAPES]-> "Health";
LINK "Health" -[:SHAPES]-> "Ability to exercise agency";
LINK "Relationship to the dominant culture" -[:SHAPES]-> "Participation in democratic processes";

// The organisations, services and communities act on the factors, and on one another.
LINK "Local authority" -[:RESPONSIBLE_FOR]-> "Housing and neighbourhood conditions";
LINK "Local authority" -[:FUNDS]-> "Parks and green spaces team";
LINK "Local authority" -[:FUNDS]-> "Community centre";
LINK "Local authority" -[:ORGANISES]-> "Participation in democratic processes";
LINK "Parks and green spaces team" -[:PROVIDES_FOR]-> "Hobbies and interests";
LINK "Culture and sport providers" -[:PROVIDES_FOR]-> "Hobbies and interests";
LINK "Culture and sport providers" -[:REFLECTS]- "Relationship to the dominant culture";
LINK "Neighbourhood association" -[:RUNS]-> "Participation in neighbourhood activities";
LINK "Community centre" -[:HOSTS]-> "Neighbourhood association";
LINK "Community centre" -[:OFFERS]-> "Education and skills";
LINK "Health service" -[:TREATS]-> "Health";
LINK "Welfare and benefits" -[:SUPPORTS]-> "Income and wealth";
LINK "Welfare and benefits" -[:CONDITIONS]-> "Ability to exercise agency";
LINK "Emergency services" -[:RESPONDS_TO]-> "Health";
LINK "Emergency services" -[:CALLED_TO]-> "Housing and neighbourhood conditions";
LINK "Health service" -[:REFERS_TO]-> "Welfare and benefits";
