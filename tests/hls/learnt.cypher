// LEARNT and WHAT HAVE WE LEARNT: newest first, about-lists sorted, idempotent.
ACTOR "Brian" AS Person;
FACTOR "Housing" AT place SCALE;
ACTOR "Police" AS Service;
LEARNT "Crisis presentations stopped once he had a stable tenancy" ABOUT "Brian", "Housing" HOW "reflection meeting" ON date('2024-03-01');
LEARNT "Police time went on welfare checks" ABOUT "police", "Brian" HOW "case review" ON date('2019-06-12');
LEARNT "Nobody held the whole picture" ABOUT "Brian" HOW "learning review" ON date('2024-03-01');
LEARNT "crisis presentations stopped once he had a stable tenancy" ABOUT "Brian", "Housing" HOW "reflection meeting" ON date('2024-03-01');
WHAT HAVE WE LEARNT;
WHAT HAVE WE LEARNT ABOUT "housing"?;
WHAT HAVE WE LEARNT ABOUT "Police";
// A correction of how, and a further subject.
LEARNT "Police time went on welfare checks" ABOUT "Housing" HOW "case review and data" ON date('2019-06-12');
WHAT HAVE WE LEARNT ABOUT Factor "Housing";
// Without ON, the learning is dated today.
LEARNT "Relationships matter more than referrals" ABOUT "Brian" HOW "workshop";
MATCH (l:Learning {text: 'Relationships matter more than referrals'}) RETURN l.when = date() AS today, l.when.year >= 2024 AS recent;
LEARNT "Wrong" ABOUT "Brain" HOW "typo";
LEARNT "Wrong" ABOUT "Brian" HOW "bad date" ON '2024-01-01';
MATCH (l:Learning) RETURN count(l) AS learnings;
