package demo

import "newsdesk/internal/newsroom"

var storiesSport = []story{
	{
		slug: "rovers-win-the-coast-derby-in-stoppage-time", sections: []string{"sport"},
		authors: []string{"sam-okafor"}, tags: []string{"football"}, hoursAgo: 17,
		headline:   "Rovers win the coast derby with a header in stoppage time",
		standfirst: "Port Alder Rovers beat Brackwater Town 2–1 in front of a sell-out crowd. Defender Ivar Moss scored his first goal in two years.",
		body: `Port Alder Rovers beat Brackwater Town 2–1 at the Quayside Ground on Saturday evening, with a header from defender Ivar Moss in the third minute of stoppage time.

Brackwater had led for most of the second half through a low shot from their captain, Tove Rask, after 52 minutes. Rovers equalised with twenty minutes left when substitute Emil Fagerli turned in a cross at the near post.

The winner came from a corner. Moss, who had not scored since the autumn of two years ago, rose above two defenders to head in off the crossbar.

> “I have been going up for corners for two years and mostly getting in the way. Tonight I was in the right way for once.”
>
> — Ivar Moss, Port Alder Rovers

The win lifts Rovers to third in the table, two points behind the leaders. A crowd of 7,400 filled the ground for the first time this season.`,
		sources: []newsroom.Source{src("Port Alder Rovers", "https://portalderrovers.example/matches/derby")},
		pic:     pic{scene: "field:night", caption: "The Quayside Ground under floodlights.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "skerrow-regatta-gullhaven-crew-takes-the-cup", sections: []string{"sport", "region"},
		authors: []string{"sam-okafor"}, tags: []string{"rowing", "tourism"}, hoursAgo: 171,
		headline:   "Gullhaven crew takes the Skerrow Regatta cup for the first time in 30 years",
		standfirst: "Six rowers in a wooden gig beat the favourites from Port Alder by a length across the bay.",
		body: `A crew from Gullhaven won the Skerrow Regatta's main race on Sunday, beating the Port Alder Rowing Club by a length over the six-kilometre course across the bay.

It was the village's first win in the race since 1995. The crew rowed the *Kittiwake*, a wooden six-oared gig built by a boatbuilder in the village two years ago.

The race was held in a stiff westerly breeze that made the turn at the Fennick buoy difficult. Gullhaven took the lead there and held it to the finish line in Port Alder harbour.

> “We trained on the open sea all summer while the others trained in the harbour. Today the bay was open sea.”
>
> — Sigrun Aas, stroke of the Gullhaven crew

More than 80 boats took part in the regatta's races, from junior doubles to a veterans' race for rowers over 70.`,
		sources: []newsroom.Source{src("Skerrow Regatta", "https://skerrowregatta.example/results")},
		pic:     pic{scene: "coast:day", caption: "Gigs rounding the Fennick buoy.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
	{
		slug: "brackwater-town-reach-cup-quarter-final", sections: []string{"sport"},
		authors: []string{"sam-okafor"}, tags: []string{"football"}, hoursAgo: 431,
		headline:   "Brackwater Town reach the cup quarter-final for the first time",
		standfirst: "The part-time side beat second-division Hallenburg United on penalties after a goalless draw.",
		body: `Brackwater Town reached the quarter-finals of the national cup for the first time in the club's 102-year history on Wednesday, beating Hallenburg United 5–4 on penalties after a goalless 120 minutes.

Town's goalkeeper, Lars Mo, who works as a postman, saved two penalties in the shoot-out. Captain Tove Rask scored the winning kick.

United, who play two divisions higher, dominated possession but found Mo in the way every time they broke through.

> “I deliver to half the people who were in the stand tonight. Tomorrow they will want to talk about the game, and I will be late with the post.”
>
> — Lars Mo, Brackwater Town goalkeeper

The draw for the quarter-finals takes place on Monday. The club says it will move a home tie to the larger Quayside Ground in Port Alder if it draws a top-flight side.`,
		sources: []newsroom.Source{src("Valdoran Football Association: cup results", "https://football.valdora.example/cup")},
		pic:     pic{scene: "field:golden", caption: "Brackwater Town's ground, Harbour Park.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "ostra-open-water-swim-record-entry", sections: []string{"sport", "ostra-isles"},
		authors: []string{"ilse-marrow"}, tags: []string{"tourism"}, hoursAgo: 762,
		headline:   "Record 400 swimmers cross the sound between Ostra Mor and Skell",
		standfirst: "The 3.2-kilometre open-water race, once a dare between two fishermen, now draws swimmers from across the north.",
		body: `More than 400 swimmers crossed the sound between Ostra Mor and Skell on Saturday in the annual open-water race, a record number for an event that began in 1976 as a bet between two fishermen.

The water was 15 degrees. Most swimmers wore wetsuits; a group of about 30 swam in ordinary costumes, as the founders did.

The fastest time, 44 minutes and 10 seconds, was set by Freya Lund, a 19-year-old student from Kelby, who has now won the race three times.

> “The sound is never the same twice. Today the tide helped us, which it usually does not.”
>
> — Freya Lund, winner of the women's and overall race

The organisers say they will cap the field at 450 next year so that the safety boats can keep every swimmer in sight.`,
		sources: []newsroom.Source{src("Ostra Sound Swim", "https://ostraswim.example/results")},
		pic:     pic{scene: "isles:day", caption: "The sound between Ostra Mor and Skell.", credit: "Ilse Marrow", source: nameOwn, url: urlOwn},
	},
}

var _ = newsroom.Published
