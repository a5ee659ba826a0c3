package demo

import "newsdesk/internal/newsroom"

var storiesOpinion = []story{
	{
		slug: "danner-the-pilot-boat-is-the-last-to-leave", sections: []string{"opinion", "harbour-district"},
		authors: []string{"piet-danner"}, tags: []string{"harbour", "storms"}, hoursAgo: 45,
		headline:   "The pilot boat is always the last to leave",
		standfirst: "Forty years of guiding ships into Port Alder taught me that a harbour is a promise, and the breakwater is where it is kept.",
		body: `When they started placing the new granite on the breakwater this week, I walked out as far as the fence allows and watched the barges for an hour. An old pilot has few hobbies; watching other people work near water is most of them.

For forty years I climbed ladders onto ships at the harbour mouth and brought them in. In a storm, the breakwater was the line between chaos and calm. You came round the end of it and the sea simply stopped.

People ask why a wall should cost 3.8 million crowns. The honest answer is that the sea has been trying to take it back since 1889, and it only has to succeed once.

> “A harbour is a promise that there is somewhere to come home to. Somebody has to keep it.”
>
> — my first skipper, Halvor Brekke, in about 1979

So I am glad of the barges. I would be gladder still if we repaired things before they fell down rather than after. But that, I am told, is not how budgets work.`,
		pic: pic{scene: "harbour:golden", caption: "The harbour mouth at Port Alder.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "hollow-we-count-seals-but-not-the-people-who-fish", sections: []string{"opinion", "science"},
		authors: []string{"agnes-hollow"}, tags: []string{"fishing", "climate"}, hoursAgo: 312,
		headline:   "We count every seal on this coast. We should count the fishermen too",
		standfirst: "The sea's health is measured in detail. The health of the communities that depend on it is barely measured at all.",
		body: `Every autumn my colleagues and I count the grey seals on the skerries off Fennick Point. We know, to within a few dozen, how many pups are born each year, and we have known it since 1984.

We do not know how many people fished from Gullhaven in 1984, or how many do today, or how old they are, or whether their children will follow them. Nobody collects those numbers in a useful way.

This matters because decisions about the sea — quotas, protected areas, wind farms — are made with good data about fish and poor data about people. The results are predictable: rules that are sound on paper and resented on the quay.

> “You measured the cod very carefully. Did anybody measure us?”
>
> — a skipper at a public meeting in Brackwater, which I have not forgotten

I propose a simple thing: a regular census of fishing communities on the coast, done with the same care as the seal count. It would cost less than one research cruise.

*Dr Agnes Hollow is a marine ecologist at the Skerrow Marine Institute. The views here are her own.*`,
		sources: []newsroom.Source{src("Skerrow Marine Institute: seal monitoring", "https://skerrow-marine.example/research/seal-count")},
		pic:     pic{scene: "isles:overcast", caption: "The skerries off Fennick Point, where grey seals breed.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
	{
		slug: "danner-a-ferry-timetable-is-a-map-of-who-matters", sections: []string{"opinion", "ostra-isles"},
		authors: []string{"piet-danner"}, tags: []string{"ferries"}, hoursAgo: 601,
		headline:   "A ferry timetable is a map of who matters",
		standfirst: "Look at when the boats run and you will see who the system was built for. On the islands, it was never built for the children.",
		body: `I keep an old Ostra Line timetable in my desk drawer, from the winter of 1968. It lists a daily sailing to every island, including Varra, which then had a shop, a school and a dance hall.

The timetables since tell the story of the islands better than any history book. First the Sunday boat went. Then the late boat. Then, one winter, the daily call at Varra became three a week.

Each decision made sense on its own. Each was made by somebody who did not have to wait on the quay.

> “A timetable is a list of times. It is also a list of who is expected to be where.”
>
> — the late Asta Vemund, Kelby's postmistress for thirty years

If we want people to stay on the islands, we should start by asking them when they need to travel — and then print that.`,
		pic: pic{scene: "isles:dawn", caption: "The quay at Varra.", credit: "Ilse Marrow", source: nameOwn, url: urlOwn},
	},
}

// storiesDesk are the stories still on the desk: drafts, one in review and
// one scheduled, so the editorial pages have something to show.
var storiesDesk = []story{
	{
		slug: "harbour-parking-charges-draft", sections: []string{"harbour-district"}, status: newsroom.Draft,
		authors: []string{"tomas-renn"}, tags: []string{"harbour", "transport"},
		headline:   "Council weighs parking charges on the harbour front",
		standfirst: "DRAFT — waiting for the council's figures. Do not publish before Thursday's committee.",
		body: `The council is considering charging for parking on the harbour front from next spring, according to papers prepared for Thursday's transport committee.

TODO: confirm the hourly rate with the council press office and get a reaction from the traders' association.

The charges would apply from nine in the morning to six in the evening. Residents with permits would be exempt.`,
	},
	{
		slug: "interview-edda-strand-on-the-ferry-contract", sections: []string{"politics"}, status: newsroom.Review,
		authors: []string{"tomas-renn"}, tags: []string{"ferries", "budget"},
		headline:   "Edda Strand: “The next ferry contract will be written on the islands”",
		standfirst: "The council leader on the Ostra Line, the budget night and why she will stand again in May.",
		body: `Edda Strand has led the Skerrow regional council for eight years. In her office above Market Square she keeps a model of the *Ostra Queen* on the windowsill — a present, she says, from a school class on Skell.

We met two days after the all-night budget session in which her Coastal Alliance agreed to restore the island ferry subsidy.

> “I will not pretend the first draft was right. It was not. The councillors from the islands told us so, and they were correct.”
>
> — Edda Strand

Strand says the Ostra Line's contract, which runs out next year, will be put out to tender with a timetable drawn up after public meetings on every island.

She confirmed that she will lead the Coastal Alliance's list at the regional election on the eleventh of May.`,
		sources: []newsroom.Source{src("Skerrow regional council", "https://skerrow-council.example/leader")},
		pic:     pic{scene: "city:overcast", caption: "Market Square, Port Alder.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "lantern-quay-festival-opens-tonight", sections: []string{"culture", "harbour-district"}, status: newsroom.Scheduled,
		authors: []string{"sam-okafor:staff"}, tags: []string{"music", "tourism"}, hoursAgo: -20,
		headline:   "Lantern Quay festival opens tonight on the inner harbour",
		standfirst: "Three nights of music on and beside the water begin at six. Here is what to know before you go.",
		body: `The Lantern Quay festival opens at six o'clock this evening with a procession of lantern boats from the North Quay to the Customs House steps.

Most concerts are free and need no ticket. The inner harbour will be closed to traffic from four o'clock until midnight on all three days.

> “Bring a warm coat and something to sit on. The music is on the water; the wind is too.”
>
> — Maja Stenvik, festival director

Night buses will run every half hour from the Harbour District until three in the morning.`,
		sources: []newsroom.Source{src("Lantern Quay festival", "https://lanternquay.example/visit")},
		pic:     pic{scene: "harbour:night", caption: "The inner harbour, where the festival opens tonight.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
}
