// A place-scale alliance: organisations commissioned to learn together towards a shared
// purpose, with no targets or KPIs; its relationships of trust and referral.
//   steward --db /tmp/hls-demo run examples/plymouth-alliance.cypher
// The member organisations are described by what they do, not named.

ACTOR "Plymouth Alliance" AS Organisation AT place SCALE
  {purpose: 'people facing complex needs get the support that works for them', targets: 'none', kpis: 'none'};
ACTOR "City council commissioners" AS Organisation;
ACTOR "Housing provider" AS Organisation;
ACTOR "Substance use service" AS Service;
ACTOR "Mental health charity" AS Organisation;
ACTOR "Homelessness charity" AS Organisation;
ACTOR "Women's service" AS Service;
ACTOR "Criminal justice service" AS Service;
ACTOR "Homelessness outreach" AS Service;
FACTOR "Shared purpose" AT place SCALE;
FACTOR "Trust between organisations" AT place SCALE;

LINK "City council commissioners" -[:COMMISSIONS {model: 'alliance contract', since: 2019}]-> "Plymouth Alliance";
LINK "Housing provider" -[:MEMBER_OF]-> "Plymouth Alliance";
LINK "Substance use service" -[:MEMBER_OF]-> "Plymouth Alliance";
LINK "Mental health charity" -[:MEMBER_OF]-> "Plymouth Alliance";
LINK "Homelessness charity" -[:MEMBER_OF]-> "Plymouth Alliance";
LINK "Women's service" -[:MEMBER_OF]-> "Plymouth Alliance";
LINK "Criminal justice service" -[:MEMBER_OF]-> "Plymouth Alliance";
LINK "Homelessness charity" -[:RUNS]-> "Homelessness outreach";
LINK "Plymouth Alliance" -[:HOLDS]-> "Shared purpose";
LINK "Plymouth Alliance" -[:BUILDS]-> "Trust between organisations";

// Trust (1-5) and referral among the members.
LINK "Housing provider" -[:TRUSTS {level: 4}]- "Homelessness charity";
LINK "Substance use service" -[:TRUSTS {level: 3}]- "Mental health charity";
LINK "Women's service" -[:TRUSTS {level: 5}]- "Mental health charity";
LINK "Criminal justice service" -[:TRUSTS {level: 2}]- "Substance use service";
LINK "Homelessness charity" -[:REFERS_TO]-> "Substance use service";
LINK "Substance use service" -[:REFERS_TO]-> "Housing provider";
LINK "Mental health charity" -[:REFERS_TO]-> "Housing provider";
LINK "Criminal justice service" -[:REFERS_TO]-> "Women's service";

LEARNT "Dropping targets made room to talk about what was not working"
  ABOUT "Plymouth Alliance", "Trust between organisations" HOW "alliance learning cycle" ON date('2022-09-20');

// Who trusts whom, most trust first.
MATCH (a:Actor)-[t:TRUSTS]-(b:Actor) WHERE a.name < b.name
RETURN a.name AS one, b.name AS other, t.level AS trust ORDER BY trust DESC, one;
