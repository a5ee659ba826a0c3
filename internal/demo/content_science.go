package demo

import "newsdesk/internal/newsroom"

var storiesScience = []story{
	{
		slug: "seagrass-returns-to-fennick-bay", sections: []string{"science"},
		authors: []string{"ruth-calder"}, tags: []string{"climate", "fishing"}, hoursAgo: 61,
		headline:   "Seagrass returns to Fennick Bay five years after replanting",
		standfirst: "Divers found the meadows have spread to four times the area planted. Young cod are back among them.",
		body: `Seagrass meadows replanted in Fennick Bay five years ago now cover about 12 hectares, four times the area originally planted, according to a survey by the Skerrow Marine Institute.

Seagrass once carpeted much of the bay but died back in the 1980s, when run-off from farms clouded the water. Volunteers and fishermen planted seedlings by hand from small boats between 2019 and 2021.

Divers counted juvenile cod, pipefish and crabs in numbers not seen in the bay for decades. The meadows also trap carbon in the seabed and calm waves before they reach the beach.

> “You plant in rows, and for two years it looks like a failed vegetable patch. Then one summer it starts to spread on its own.”
>
> — Liv Sandvik, who led the replanting at the Skerrow Marine Institute

The institute plans to try the method in two more bays next year. It is asking boat owners to avoid anchoring in the marked meadow areas.`,
		sources: []newsroom.Source{src("Skerrow Marine Institute: seagrass survey", "https://skerrow-marine.example/research/seagrass-survey")},
		pic:     pic{scene: "coast:day", caption: "Fennick Bay at low tide, where the meadows were replanted.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
	{
		slug: "northern-lights-seen-over-the-skerrow-coast", sections: []string{"science", "region"},
		authors: []string{"ruth-calder"}, tags: []string{"tourism"}, hoursAgo: 91,
		headline:   "Northern lights seen as far south as Port Alder",
		standfirst: "A strong solar storm painted the sky green and red on Sunday night. Forecasters say there may be more displays this winter.",
		body: `Residents across the Skerrow Coast stayed up late on Sunday to watch the northern lights, which were visible as far south as Port Alder for the first time in more than a decade.

The display followed a large eruption on the sun on Friday. Charged particles reached the earth on Sunday evening and produced bands of green and red light that were bright enough to see from the centre of town.

Photographers gathered on the breakwater and at the lighthouse on Fennick Point, where the sky was clear from about ten o'clock until after midnight.

> “People think you need to go far north for this. Sometimes the north comes to you.”
>
> — Tor Eilif, chair of the Skerrow Astronomical Society

The sun is near the peak of its eleven-year cycle, and the weather service says further displays are likely this winter. The best chance of seeing them is away from street lights, looking north.`,
		sources: []newsroom.Source{src("Valdoran Weather Service: space weather", "https://weather.valdora.example/space-weather")},
		pic:     pic{scene: "coast:night", caption: "The night sky over Fennick Point on Sunday.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "tide-gauge-shows-sea-rising-faster", sections: []string{"science"},
		authors: []string{"ruth-calder"}, tags: []string{"climate", "storms", "harbour"}, hoursAgo: 421,
		headline:   "Port Alder's 150-year-old tide gauge shows the sea rising faster",
		standfirst: "Sea level at the harbour has risen 22 centimetres since 1875, and the rate has roughly doubled since the 1990s.",
		body: `The tide gauge in Port Alder harbour, one of the oldest in the north, shows that the sea has risen by 22 centimetres since records began in 1875, and that the rise has accelerated, according to an analysis by the university's oceanography department.

For most of the twentieth century the sea rose by about 1.4 millimetres a year. Since the 1990s the rate has averaged about 3 millimetres a year.

The gauge, installed by the harbour company in a stone hut on the Customs Quay, was read by hand until 1968. Students spent two years typing up the handwritten ledgers.

> “These ledgers are a gift. Somebody walked out to that hut twice a day for ninety years, in every kind of weather.”
>
> — Professor Unn Halvorsen, Port Alder University

The harbour authority says it will use the results to plan the height of the new North Quay, which is designed to be raised by 40 centimetres later in the century if needed.`,
		sources: []newsroom.Source{src("Port Alder University: oceanography", "https://portalder-university.example/oceanography/tide-gauge")},
		pic:     pic{scene: "harbour:overcast", caption: "The Customs Quay, where the tide gauge has stood since 1875.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
	{
		slug: "stroke-unit-opens-at-brackwater-hospital", sections: []string{"science", "region"},
		authors: []string{"ruth-calder"}, tags: []string{"health"}, hoursAgo: 521,
		headline:   "Brackwater hospital opens the coast's first dedicated stroke unit",
		standfirst: "Patients from the islands will be flown in by helicopter. Doctors hope to cut the time to treatment by half.",
		body: `Brackwater Regional Hospital opened a dedicated stroke unit on Monday, the first on the Skerrow Coast. Until now, patients needing specialist treatment were taken to Hallenburg, three hours away by road.

The unit has 14 beds, a scanner in the emergency department and a team of specialist nurses on duty day and night. Patients from the Ostra Isles will be flown in by the air ambulance.

In stroke care, every minute counts. Doctors at the hospital hope to bring the time between arrival and treatment below 30 minutes.

> “For a patient from Kelby, this unit can be the difference between going home and going into care.”
>
> — Dr Siri Vang, head of the stroke unit

The unit cost 52 million crowns. The hospital is recruiting eight more nurses and has begun training ambulance crews to recognise the signs of stroke on the way in.`,
		sources: []newsroom.Source{src("Brackwater Regional Hospital", "https://brackwater-hospital.example/news/stroke-unit")},
		pic:     pic{scene: "city:day", caption: "Brackwater Regional Hospital.", credit: credWire, source: nameWire, url: urlWire},
	},
}

var _ = newsroom.Published
