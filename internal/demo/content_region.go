package demo

import "newsdesk/internal/newsroom"

var storiesRegion = []story{
	{
		slug: "ostra-line-cuts-winter-sailings-to-the-outer-isles", sections: []string{"ostra-isles"},
		authors: []string{"ilse-marrow"}, tags: []string{"ferries", "transport"}, hoursAgo: 3, editedAfter: 1.2,
		headline:   "Ostra Line cuts winter sailings to the outer isles",
		standfirst: "From November the ferry will call at Skell and Varra twice a week instead of daily. Islanders say the timetable was drawn up without them.",
		body: `The Ostra Line will halve its winter service to the two outermost islands, the company confirmed on Tuesday, leaving Skell and Varra with two sailings a week from the first of November until the end of February.

The operator blames fuel costs and the age of the *Marta Lenn*, the smaller of its two vessels, which has spent eleven weeks in dry dock this year. The larger *Ostra Queen* will keep its daily crossing between Port Alder and Kelby.

On Skell, where 140 people live through the winter, the news arrived by notice pinned to the harbour office door. Parents whose children board at the secondary school in Kelby say the new timetable means a Monday crossing and no way home until Friday.

> “Nobody from the company has set foot on this island since the spring. We read about our own ferry on a piece of paper held up by two drawing pins.”
>
> — Brann Tolle, chair of the Skell community council

The Ostra Line says the change is temporary and that a chartered fishing boat will carry post and medicines on the days the ferry does not run. The regional council, which pays part of the line's subsidy, has asked the company to present the timetable at a public meeting in Kelby next week.

A petition for a daily winter service had gathered more than 900 signatures by Tuesday evening — more people than live on the two islands together.`,
		sources: []newsroom.Source{src("Ostra Line winter timetable", "https://ostraline.example/timetables/winter"), src("Skell community council", "https://skell-council.example/news/ferry")},
		pic:     pic{scene: "isles:overcast", caption: "The Varra slipway, where the ferry will call twice a week this winter.", credit: "Ilse Marrow", source: nameOwn, url: urlOwn},
	},
	{
		slug: "storm-warning-for-the-skerrow-coast", sections: []string{"region"},
		authors: []string{"coastwire"}, tags: []string{"storms", "ferries"}, hoursAgo: 9, editedAfter: 2.5,
		headline:   "Amber storm warning for the Skerrow Coast as gales close in",
		standfirst: "Gusts of up to 110 km/h are expected overnight. Ferries to the Ostra Isles will stay in port and the Brackwater causeway may close.",
		body: `The Valdoran Weather Service has issued an amber warning for the whole Skerrow Coast from six o'clock this evening until noon on Thursday, with gusts of up to 110 km/h on exposed headlands and heavy rain inland.

Forecasters say the deep low, the first of the autumn, will track close to the Ostra Isles overnight. High water in Port Alder at 02:40 coincides with the strongest winds, and the service warns of waves breaking over sea walls in Gullhaven and along the Harbour District's outer quay.

The Ostra Line has cancelled all sailings until Thursday afternoon. The regional roads authority says the Brackwater causeway will close if waves reach the carriageway, as they did twice last winter.

> “Tie down what can fly, stay off the sea walls and do not drive through flood water. Most of the injuries we see in storms are avoidable.”
>
> — Lise Hamar, duty officer at the regional emergency centre

Schools will open as normal unless head teachers decide otherwise by seven o'clock on Thursday morning. The council has opened its storm line for fallen trees and blocked drains.

*Updated with the ferry cancellations and the causeway warning.*`,
		sources: []newsroom.Source{src("Valdoran Weather Service", "https://weather.valdora.example/warnings/skerrow"), src("CoastWire", "https://coastwire.example/news/storm-warning-skerrow")},
		pic:     pic{scene: "coast:overcast", caption: "Heavy swell off Gullhaven ahead of the storm.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "repairs-begin-on-port-alder-breakwater", sections: []string{"harbour-district"},
		authors: []string{"hanne-ruud"}, tags: []string{"harbour", "storms"}, hoursAgo: 31,
		headline:   "Repairs begin on Port Alder's storm-battered breakwater",
		standfirst: "A 60-metre breach in the outer wall will be closed with granite from the Hollin Vale quarries before the worst of the winter.",
		body: `Work started on Monday to repair the Port Alder breakwater, which lost a 60-metre stretch of its cap stones in last winter's storms and has been fenced off to walkers since February.

Two barges moored off the outer harbour will place about 4,000 tonnes of granite from the Hollin Vale quarries over the next seven weeks. The harbour authority says the work costs 3.8 million crowns, most of it from the national coastal defence fund.

The breakwater, built in 1889, shelters the inner harbour, the fish quay and about 300 homes on the low ground behind the Harbour District. Engineers found in the spring that waves were washing out the rubble core behind the missing stones.

> “If we had waited another winter we would have been rebuilding the wall rather than repairing it.”
>
> — Joran Beck, Port Alder harbour master

Fishing boats will use the north entrance while the barges are in place. The path along the top of the wall is expected to reopen to the public in the spring.`,
		sources: []newsroom.Source{src("Port Alder Harbour Authority", "https://portalder-harbour.example/notices/breakwater-repair")},
		pic:     pic{scene: "harbour:day", caption: "The outer harbour, where barges are placing new granite on the breakwater.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "brackwater-causeway-to-close-for-six-weeks", sections: []string{"region"},
		authors: []string{"coastwire"}, tags: []string{"transport"}, hoursAgo: 52,
		headline:   "Brackwater causeway to close for six weeks of resurfacing",
		standfirst: "Drivers face a 40-minute detour through Hollin Vale; the bus company will run a shuttle to the footbridge.",
		body: `The causeway linking Brackwater to the coast road will close to traffic from the 4th of next month for six weeks while its surface and drainage are rebuilt, the regional roads authority said.

About 9,000 vehicles a day use the causeway. The signed detour runs inland through Hollin Vale and adds about 40 minutes to a journey to Port Alder at peak times.

Pedestrians and cyclists will be able to cross on the old footbridge throughout the works. Coastline Buses will run a shuttle from the bridge to Brackwater town centre every 15 minutes.

> “There is never a good time to close the only road in. We chose the weeks after the tourist season and before the worst weather.”
>
> — Ada Svel, project manager at the regional roads authority

Local traders have asked for free parking at the footbridge during the closure. The council says it will decide next week.`,
		sources: []newsroom.Source{src("Regional roads authority", "https://roads.skerrow.example/works/brackwater-causeway")},
		pic:     pic{scene: "coast:dawn", caption: "The Brackwater causeway at low tide.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "fish-market-to-move-to-the-north-quay", sections: []string{"harbour-district", "economy"},
		authors: []string{"hanne-ruud"}, tags: []string{"harbour", "fishing"}, hoursAgo: 101,
		headline:   "Port Alder fish market to move to the North Quay",
		standfirst: "After 130 years in the same hall, the morning auction will move to a refrigerated building the harbour authority says it can no longer do without.",
		body: `The Port Alder fish auction will leave its brick hall on Salt Street next spring for a new refrigerated building on the North Quay, the harbour authority has announced.

The old hall, opened in 1893, has no cold store of its own, and food inspectors gave the auction until the end of next year to meet current temperature rules. Converting the listed building was judged too expensive.

Boat owners welcomed the move, which will let them land directly beside the auction floor instead of carting boxes across the road. Traders on Salt Street are less happy.

> “The auction brings two hundred people past my door before seven in the morning. Where do you think they buy their coffee?”
>
> — Nell Arvid, who runs the Early Tide café opposite the hall

The harbour authority says the Salt Street hall will stay in public use. A market for local food and crafts is one of three proposals the council will put out for consultation in January.`,
		sources: []newsroom.Source{src("Port Alder Harbour Authority", "https://portalder-harbour.example/news/north-quay-auction")},
		pic:     pic{scene: "harbour:dawn", caption: "Boats landing at first light in the inner harbour.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "gullhaven-lifeboat-rescues-three-from-drifting-yacht", sections: []string{"region"},
		authors: []string{"coastwire"}, tags: []string{"storms"}, hoursAgo: 141,
		headline:   "Gullhaven lifeboat rescues three from drifting yacht",
		standfirst: "The volunteer crew was launched at two in the morning after the yacht lost its engine and rudder in heavy seas off Fennick Point.",
		body: `Three people were taken off a yacht drifting towards the rocks off Fennick Point early on Sunday, after the Gullhaven lifeboat launched in winds the crew described as the worst of the year.

The coastguard received the yacht's distress call just before two o'clock. Its engine had failed and its rudder had broken, and it was about a mile from the cliffs, drifting at two knots.

The lifeboat reached the yacht in 35 minutes. The crew took the two adults and a teenager aboard and towed the yacht to Gullhaven, where the three were checked by paramedics and released.

> “They had their lifejackets on and a working radio. That is why this is a story about a long night and not a sad one.”
>
> — Per Askeland, coxswain of the Gullhaven lifeboat

The Gullhaven station, run entirely by volunteers, has launched 31 times this year. It is raising money for a new boathouse door after the old one was damaged in February.`,
		sources: []newsroom.Source{src("Valdoran Coastguard", "https://coastguard.valdora.example/incidents")},
		pic:     pic{scene: "coast:night", caption: "The Gullhaven lifeboat returning to harbour.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "harbour-district-tenants-form-association", sections: []string{"harbour-district"},
		authors: []string{"tomas-renn"}, tags: []string{"housing", "harbour"}, hoursAgo: 182,
		headline:   "Harbour District tenants band together as rents climb",
		standfirst: "Residents of the old warehouse flats say rents have risen by a third in two years. Their new association wants a seat at the table when the council draws up its housing plan.",
		body: `More than 200 tenants packed the Seamen's Hall on Thursday evening to found the Harbour District Tenants' Association, the first such group in Port Alder for two decades.

Most live in the converted warehouses along Rope Walk and Cooper's Row, where, they say, rents have risen by between 25 and 40 percent since 2022. Several described being offered a new lease at a higher rent or none at all.

The association's first demand is modest: that the council publish how many flats in the district are let to holidaymakers. Tenants believe the number has doubled since the harbour front was renovated.

> “We are not against visitors. We are against the street going dark in November because nobody lives in it any more.”
>
> — Sela Morrow, elected chair of the association

The largest landlord in the district, Quayside Lettings, said its rents reflected the cost of maintaining old buildings and that it had not turned any tenant out. Councillor Ivo Kast, who holds the housing brief, said he would meet the association before the housing plan goes to the council in the new year.`,
		sources: []newsroom.Source{src("Port Alder council: housing plan consultation", "https://portalder.example/council/housing-plan")},
		pic:     pic{scene: "city:golden", caption: "Converted warehouses on Rope Walk in the Harbour District.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
	{
		slug: "kelby-school-roof-fixed-before-winter", sections: []string{"ostra-isles"},
		authors: []string{"ilse-marrow"}, tags: []string{"schools"}, hoursAgo: 262, closed: true,
		headline:   "Kelby school gets its roof back before the winter",
		standfirst: "Pupils return to their classrooms after a term in the church hall. The repair came in under budget, the island council says.",
		body: `Children at Kelby School went back to their own classrooms on Monday after a term spent in the church hall and two borrowed portable cabins, once the roof blown off in the March gale was finally replaced.

The repair cost 640,000 crowns, about a tenth less than forecast, because slate from the old roof could be reused on the new one, the island council said.

Teachers said the term in the church hall had its moments. The organ, they pointed out, is not an ideal neighbour for a mathematics test.

> “The children were marvellous about it. The staff are simply relieved to have their own kettle back.”
>
> — Oda Linn, head teacher of Kelby School

The school, which teaches 96 pupils from three islands, will hold an open afternoon on Saturday to show parents the new roof space, which now houses a small library.`,
		sources: []newsroom.Source{src("Ostra Mor island council", "https://ostramor.example/council/school")},
		pic:     pic{scene: "isles:day", caption: "Kelby from the ferry, with the school on the hill above the harbour.", credit: "Ilse Marrow", source: nameOwn, url: urlOwn},
	},
	{
		slug: "thornwick-library-reopens-in-the-old-railway-station", sections: []string{"region", "culture"},
		authors: []string{"coastwire"}, tags: []string{"transport"}, hoursAgo: 402,
		headline:   "Thornwick library reopens in the old railway station",
		standfirst: "Sixty years after the last train, the station building has books on the platforms and a reading room in the booking hall.",
		body: `Thornwick's public library reopened on Saturday in the town's former railway station, closed to passengers in 1964 and empty for most of the years since.

The conversion kept the booking hall's tiled floor and timber ticket windows, one of which now serves as the library's loans desk. The old waiting room has become a children's room, and the covered platform holds the local history collection behind glass.

The move was paid for by the regional council and by the Thornwick Station Trust, which raised 410,000 crowns from residents, many of whom donated in the names of relatives who once worked on the line.

> “My grandfather sold tickets through that window for thirty years. Now my granddaughter borrows picture books through it.”
>
> — Ros Fenner, a trustee of the Thornwick Station Trust

The library is open six days a week. On the first Saturday of each month a volunteer model railway club runs trains along the old platform edge.`,
		sources: []newsroom.Source{src("Thornwick Station Trust", "https://thornwickstation.example/news")},
		pic:     pic{scene: "hills:golden", caption: "The former station at Thornwick, now the town library.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "night-buses-return-to-port-alder", sections: []string{"harbour-district"},
		authors: []string{"tomas-renn"}, tags: []string{"transport"}, hoursAgo: 603,
		headline:   "Night buses return to Port Alder after four years",
		standfirst: "Two routes will run hourly from the Harbour District until four in the morning on Fridays and Saturdays during a one-year trial.",
		body: `Port Alder will have night buses again from next month, the council's transport committee decided on Wednesday, four years after the last service was cut.

Two routes will run hourly on Friday and Saturday nights, linking the Harbour District with the university campus in the east and the housing estates on Gallows Hill to the north. The trial will cost 1.2 million crowns for a year.

Bar and restaurant owners in the Harbour District have campaigned for the return of the buses since the district's night economy recovered, arguing that staff finishing late shifts have no safe way home.

> “A waiter who finishes at two in the morning should not have to choose between a taxi that costs half a night's tips and a long walk.”
>
> — Kai Brekk, Harbour District traders' association

The committee will review the trial after six months. Fares will be the same as on daytime routes.`,
		sources: []newsroom.Source{src("Port Alder council: transport committee papers", "https://portalder.example/council/transport/night-buses")},
		pic:     pic{scene: "city:night", caption: "The Harbour District late on a Friday night.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
}
