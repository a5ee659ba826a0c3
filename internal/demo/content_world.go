package demo

import "newsdesk/internal/newsroom"

var storiesWorld = []story{
	{
		slug: "ketterland-election-hung-parliament", sections: []string{"world"},
		authors: []string{"nadia-orlova"}, tags: []string{"ketterland", "elections"}, hoursAgo: 27,
		headline:   "Ketterland election leaves no party near a majority",
		standfirst: "The Farmers' League came first but lost seats. Coalition talks in Vessby could last weeks, and the Grey Strait bridge project hangs on them.",
		body: `Voters in Ketterland have returned a parliament with no clear majority, leaving the country's seven parties facing weeks of coalition talks.

The Farmers' League of prime minister Halvard Brenn remains the largest party, with 41 of 150 seats, but lost nine. The centre-left Workers' Alliance won 37, and the new Coastal Future party, founded only two years ago, took 19 seats on its first attempt.

Turnout was 71 percent, three points up on the last election. In Vessby, queues outside polling stations in the old town were still long when voting closed at nine.

> “The voters have told us to talk to each other. Nobody has been told to govern alone.”
>
> — Halvard Brenn, speaking to supporters in Vessby

The outcome matters on our side of the strait. Coastal Future campaigned against the planned road bridge across the Grey Strait, which both larger parties support and which Valdora has already agreed to part-fund.

Brenn is expected to receive the first mandate to form a government on Monday.`,
		sources: []newsroom.Source{src("Ketterland electoral authority", "https://valg.ketterland.example/results"), src("Vessby Morning Post", "https://vessbypost.example/politics/election-night")},
		pic:     pic{scene: "city:night", caption: "Election night in Vessby's old town.", credit: "Nadia Orlova", source: nameOwn, url: urlOwn},
	},
	{
		slug: "new-traffic-scheme-for-the-grey-strait", sections: []string{"world", "economy"},
		authors: []string{"coastwire"}, tags: []string{"ketterland", "ferries"}, hoursAgo: 202,
		headline:   "New traffic lanes to separate ferries and cargo ships in the Grey Strait",
		standfirst: "Valdora and Ketterland will jointly manage shipping in the narrowest part of the strait after two near misses this year.",
		body: `Shipping in the Grey Strait will follow a new traffic separation scheme from the first of March, after the maritime authorities of Valdora and Ketterland agreed on a joint system of lanes.

Cargo ships heading north and south will keep to two lanes in the middle of the strait, while ferries crossing between Port Alder and Vessby will cross them at right angles at a marked crossing zone.

The change follows two near misses this year, including one in April in which a ferry carrying 400 passengers passed within 200 metres of a bulk carrier in fog.

> “The strait has got busier every year for twenty years, and the rules had not kept up. Now they have.”
>
> — Ingrid Solheim, director of the Valdoran Maritime Authority

A shared vessel traffic centre will watch the strait from a station on Ostra Mor, staffed by both countries.`,
		sources: []newsroom.Source{src("Valdoran Maritime Authority", "https://maritime.valdora.example/notices/grey-strait-tss")},
		pic:     pic{scene: "coast:day", caption: "A ferry crossing the Grey Strait.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "rail-tunnel-talks-resume", sections: []string{"world", "politics"},
		authors: []string{"nadia-orlova"}, tags: []string{"ketterland", "transport"}, hoursAgo: 381,
		headline:   "Vessby and Hallenburg revive talks on a tunnel under the strait",
		standfirst: "The idea of a rail tunnel between the two countries has come and gone for forty years. Engineers now say it is cheaper than a bridge.",
		body: `Transport ministers from Ketterland and Valdora agreed in Vessby on Friday to commission a new study of a rail tunnel beneath the Grey Strait, reviving a project that was shelved in 1998.

A study published in the summer by the Ketterland Institute of Technology concluded that a 22-kilometre tunnel would cost about a fifth more than the planned road bridge but would be cheaper to maintain and unaffected by storms.

Both governments have so far backed the bridge. The tunnel idea has gained support since the Ketterland election strengthened parties sceptical of new roads.

> “We are not choosing today. We are making sure that when we choose, we have looked at both options with the same care.”
>
> — Sanna Lind, Ketterland's transport minister

The new study is due within a year. Ferry operators on both sides of the strait have asked to be consulted on it.`,
		sources: []newsroom.Source{src("Ketterland Ministry of Transport", "https://transport.ketterland.example/news/strait-study")},
		pic:     pic{scene: "isles:overcast", caption: "The Grey Strait from the Ketterland shore.", credit: "Nadia Orlova", source: nameOwn, url: urlOwn},
	},
	{
		slug: "northern-fisheries-summit-agrees-mackerel-share", sections: []string{"world", "economy"},
		authors: []string{"coastwire"}, tags: []string{"fishing", "ketterland"}, hoursAgo: 561,
		headline:   "Northern fisheries summit agrees mackerel share after all-night talks",
		standfirst: "Five countries settled a three-year dispute over the mackerel stock. Valdora's share rises slightly; scientists say the total is still too high.",
		body: `Five northern countries, including Valdora and Ketterland, agreed early on Thursday on how to share next year's mackerel catch, ending a three-year dispute in which each country set its own quota.

Under the deal Valdora will receive 9.5 percent of the total allowable catch, up from the 8 percent it claimed on its own last year. Ketterland's share is 14 percent.

The total agreed catch is about 15 percent above the level recommended by fisheries scientists, who have warned for years that the stock is being fished too hard.

> “An agreement above the advice is better than no agreement at all, but only if it is the last one above the advice.”
>
> — Maren Hovd, marine scientist at the Skerrow Marine Institute

The countries have committed to bring the catch in line with the scientific advice within three years.`,
		sources: []newsroom.Source{src("CoastWire", "https://coastwire.example/world/mackerel-deal")},
		pic:     pic{scene: "coast:golden", caption: "A mackerel boat heading out from Brackwater.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "ketterland-farmers-count-cost-of-dry-summer", sections: []string{"world"},
		authors: []string{"nadia-orlova"}, tags: []string{"ketterland", "climate"}, hoursAgo: 722,
		headline:   "Ketterland's farmers count the cost of the driest summer in a century",
		standfirst: "Grain harvests are down by a third in the south. Valdoran hay is crossing the strait by the shipload.",
		body: `Farmers in southern Ketterland have harvested about a third less grain than in an average year after the driest summer since records began in 1921, the country's agricultural board said on Tuesday.

Pasture dried out in July, and many livestock farmers have been feeding winter hay since August. Hay prices have doubled, and ships loaded with bales from the Skerrow Coast have been crossing the strait every week since September.

On the Vikre family farm near Holm, cattle have been sold early because there will not be enough feed to keep them until spring.

> “My grandfather talked about the dry year of 1947. I think my grandchildren will talk about this one.”
>
> — Ola Vikre, dairy farmer near Holm

The Ketterland government has announced 400 million crowns in emergency aid. Climate researchers in Vessby say summers like this one are now several times more likely than they were fifty years ago.`,
		sources: []newsroom.Source{src("Ketterland agricultural board", "https://agri.ketterland.example/harvest-report")},
		pic:     pic{scene: "hills:golden", caption: "Parched fields in southern Ketterland.", credit: "Nadia Orlova", source: nameOwn, url: urlOwn},
	},
}

var _ = newsroom.Published
