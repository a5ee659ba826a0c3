package demo

import "newsdesk/internal/newsroom"

var storiesEconomy = []story{
	{
		slug: "kelmoor-shipyard-wins-order-for-two-electric-ferries", sections: []string{"economy"},
		authors: []string{"hanne-ruud"}, tags: []string{"shipyard", "ferries", "wind-power"}, hoursAgo: 41,
		headline:   "Kelmoor shipyard wins order for two electric ferries",
		standfirst: "The 96-million-crown contract is the yard's largest in fifteen years and secures about 300 jobs until 2028.",
		body: `Kelmoor Shipyard has won a contract to build two battery-electric car ferries for a Ketterland operator, the largest order at the yard since it launched its last fishery protection vessel in 2010.

The ferries, each 70 metres long and able to carry 60 cars, will run on the busy crossing between Vessby and the island of Holm. They will charge from the shore in the twelve minutes they spend at each quay.

The contract is worth about 96 million crowns. The yard says it will keep its 280 workers busy until 2028 and allow it to take on up to 40 apprentices.

> “Three years ago we were wondering whether we would still have a yard. Today we are hiring welders.”
>
> — Mette Karsk, managing director of Kelmoor Shipyard

The yard beat bidders from three larger countries. Its chairman credited the design office's experience with small hybrid vessels built for the Ostra Isles' fish farms.

Steel cutting for the first ferry is due to begin in March, with delivery planned for the summer of 2027.`,
		sources: []newsroom.Source{src("Kelmoor Shipyard", "https://kelmoor-yard.example/news/electric-ferries"), src("CoastWire", "https://coastwire.example/business/kelmoor-order")},
		pic:     pic{scene: "harbour:golden", caption: "The fitting-out quay at Kelmoor Shipyard.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "gannet-bank-wind-farm-cable-comes-ashore", sections: []string{"economy", "science"},
		authors: []string{"hanne-ruud"}, tags: []string{"wind-power", "climate"}, hoursAgo: 122, editedAfter: 3,
		headline:   "Gannet Bank wind farm cable comes ashore at Fennick Point",
		standfirst: "The export cable from the coast's first offshore wind farm has been pulled onto the beach. First power is expected next autumn.",
		body: `The export cable for the Gannet Bank offshore wind farm was pulled ashore at Fennick Point on Saturday, the last big piece of marine work before the turbines themselves are installed next summer.

The 38-kilometre cable was laid from a specialist vessel over nine days. At the beach it runs through a tunnel drilled beneath the dunes to a new substation beside the coast road, so that the dunes themselves were not dug up.

Gannet Bank will have 42 turbines and, once complete, is expected to produce about as much electricity in a year as every household on the Skerrow Coast uses.

> “The fishermen showed us where not to put the cable, and they were right every time. We moved it twice.”
>
> — Teo Maranen, project director for Gannet Bank Wind

The developer has agreed to pay a community fund of 1.5 million crowns a year to towns along the coast for the life of the wind farm. The first grants will be awarded next spring.

*This article was updated to correct the length of the export cable.*`,
		sources: []newsroom.Source{src("Gannet Bank Wind", "https://gannetbank.example/news/export-cable")},
		pic:     pic{scene: "wind:day", caption: "Test turbines on the hills behind Fennick Point.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
	{
		slug: "herring-prices-fall-as-catches-rise", sections: []string{"economy"},
		authors: []string{"hanne-ruud"}, tags: []string{"fishing", "harbour"}, hoursAgo: 221,
		headline:   "Herring prices fall as boats land the best catches in years",
		standfirst: "The autumn season has been generous at sea and mean at the auction: prices in Port Alder are down by a quarter on last year.",
		body: `Boats fishing out of Port Alder have landed more herring this autumn than in any year since 2016, but the price they receive at auction has fallen by about a quarter, according to figures from the harbour authority.

Buyers say the plentiful catch has met weak demand from processors in Ketterland, which take most of the coast's herring, after a large stock of frozen fish built up there over the summer.

For the smaller boats the result is an odd season: more work, longer days and roughly the same income as a poor year.

> “We caught more and we earned less. My accountant says that is a very modern kind of success.”
>
> — Jens Holte, skipper of the *Sildra*, a 14-metre boat from Gullhaven

The Skerrow Fishermen's Cooperative is looking at freezing part of the catch itself to sell in the spring, when prices usually recover. It would need a new cold store to do so, which the cooperative estimates would cost about 6 million crowns.`,
		sources: []newsroom.Source{src("Port Alder Harbour Authority: landings", "https://portalder-harbour.example/statistics/landings"), src("Skerrow Fishermen's Cooperative", "https://skerrowfish.example/news")},
		pic:     pic{scene: "harbour:dawn", caption: "Unloading at the fish quay in Port Alder.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "coastal-savings-bank-holds-rates", sections: []string{"economy"},
		authors: []string{"coastwire"}, tags: []string{"housing"}, hoursAgo: 352,
		headline:   "Coastal Savings Bank holds mortgage rates despite national rise",
		standfirst: "The region's largest lender will not pass on the central bank's latest increase to existing borrowers until the spring.",
		body: `Coastal Savings Bank, which holds about four in ten mortgages on the Skerrow Coast, said on Monday that it will not raise rates for existing borrowers until April, despite the central bank's increase last week.

The bank will raise rates on new mortgages by a quarter of a point from the first of next month. Savings rates will rise by the same amount.

The bank's chief executive said its strong capital position allowed it to absorb the cost for a few months and that it wanted to give households time to prepare.

> “Our customers are fishermen, teachers and care workers. A surprise on the mortgage statement in January helps nobody.”
>
> — Helga Rasch, chief executive of Coastal Savings Bank

Analysts said other lenders in the region were likely to follow. The central bank has signalled that rates may have to rise again before the summer.`,
		sources: []newsroom.Source{src("Coastal Savings Bank", "https://coastalsavings.example/press/rates"), src("CoastWire", "https://coastwire.example/business/coastal-savings-rates")},
		pic:     pic{scene: "city:overcast", caption: "Coastal Savings Bank's head office on Market Square, Port Alder.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "record-summer-for-coast-tourism", sections: []string{"economy", "region"},
		authors: []string{"hanne-ruud"}, tags: []string{"tourism", "ferries"}, hoursAgo: 452,
		headline:   "Record summer for the coast's guesthouses and campsites",
		standfirst: "Overnight stays rose by 12 percent, driven by visitors from Ketterland and a long spell of dry weather in July.",
		body: `Guesthouses, hotels and campsites on the Skerrow Coast recorded 1.9 million overnight stays between June and August, the highest figure since records began, according to the regional statistics office.

Visitors from Ketterland accounted for most of the growth, helped by a new weekend ferry between Vessby and Port Alder and a favourable exchange rate. The Ostra Isles had their busiest summer in twenty years.

The boom has a cost. Island councils report pressure on water supplies on Ostra Mor in late July, and the Harbour District Tenants' Association has linked holiday lets to rising rents.

> “We want visitors to come back. That means they have to find islands that still work, not islands that have been turned into car parks.”
>
> — Per Ennis, chair of the Ostra Isles tourism board

The regional council will discuss a small overnight charge for visitors, with the money going to island infrastructure, at its January meeting.`,
		sources: []newsroom.Source{src("Regional statistics office", "https://stats.skerrow.example/tourism/summer")},
		pic:     pic{scene: "isles:golden", caption: "Summer evening on Ostra Mor.", credit: "Ilse Marrow", source: nameOwn, url: urlOwn},
	},
	{
		slug: "container-terminal-expansion-approved", sections: []string{"economy", "harbour-district"},
		authors: []string{"hanne-ruud"}, tags: []string{"harbour", "shipyard"}, hoursAgo: 802,
		headline:   "Port Alder container terminal expansion gets the go-ahead",
		standfirst: "A new 300-metre berth will let larger ships call at the port. Residents won a night-time noise limit.",
		body: `The national planning board has approved the expansion of the container terminal at Port Alder, allowing the port to build a new 300-metre berth and deepen the approach channel.

The port says the project, costing 410 million crowns, will let it handle ships twice the size of those that call today and create about 150 permanent jobs.

Residents on the eastern edge of the Harbour District had objected to noise from night-time loading. The board has set a noise limit between eleven at night and six in the morning, with monitoring published online.

> “We did not stop the terminal, and we did not want to. We wanted to be able to sleep, and now we have it in writing.”
>
> — Arne Dahl, East Quay residents' group

Dredging is due to begin next autumn, outside the spawning season of the herring that gather in the bay each spring.`,
		sources: []newsroom.Source{src("National planning board decision", "https://planning.valdora.example/decisions/port-alder-terminal")},
		pic:     pic{scene: "harbour:overcast", caption: "The container terminal on the east side of the harbour.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "brackwater-cannery-to-close", sections: []string{"economy", "region"},
		authors: []string{"coastwire"}, tags: []string{"fishing"}, hoursAgo: 951, closed: true,
		headline:   "Brackwater cannery to close after 87 years",
		standfirst: "The owner blames the cost of modernising the plant. 112 people will lose their jobs in a town of 6,000.",
		body: `The Brackwater cannery, which has packed sardines and herring on the town's waterfront since 1938, will close at the end of March, its owner, Nordsild Foods, announced on Wednesday.

The company said the plant needed investment of about 30 million crowns to meet food safety and energy rules, which it could not justify with falling demand for tinned fish.

The closure will cost 112 jobs. The cannery is Brackwater's second-largest employer after the regional hospital.

> “My mother worked here, I work here, and I thought my son would. That is the part that hurts.”
>
> — Karin Voll, a line supervisor with 24 years at the cannery

The regional council has set up a task force with the employment service to help workers find jobs, including at the Kelmoor shipyard, which is hiring. The mayor of Brackwater has asked Nordsild to sell the plant rather than demolish it.`,
		sources: []newsroom.Source{src("CoastWire", "https://coastwire.example/business/brackwater-cannery")},
		pic:     pic{scene: "coast:overcast", caption: "The Brackwater waterfront, with the cannery in the distance.", credit: credWire, source: nameWire, url: urlWire},
	},
}

var _ = newsroom.Published
