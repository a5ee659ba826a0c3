package demo

import "newsdesk/internal/newsroom"

var storiesCulture = []story{
	{
		slug: "lantern-quay-festival-announces-line-up", sections: []string{"culture", "harbour-district"},
		authors: []string{"sam-okafor:staff"}, tags: []string{"music", "tourism"}, hoursAgo: 112,
		headline:   "Lantern Quay festival announces its biggest line-up yet",
		standfirst: "Three nights of music on the water, a fiddle orchestra from the islands and, for the first time, a stage on a moored ferry.",
		body: `The Lantern Quay festival will return to Port Alder's inner harbour for three nights in December with 46 acts, its largest programme since the first festival in 2011.

The headline concert on the Saturday will be given by the Ostra Fiddle Orchestra, 60 musicians from the five islands, playing new arrangements of old dance tunes. On the Friday the Skerrow Chamber Orchestra will play by lantern light on the steps of the Customs House.

For the first time, the retired ferry *Hildur*, moored at the Salt Street quay, will serve as a second stage for younger bands from the coast.

> “We wanted the harbour itself to be the venue. Everything happens on the water or beside it.”
>
> — Maja Stenvik, festival director

Most concerts are free. Tickets for the three indoor concerts go on sale on Monday, and the organisers have kept a quarter of them for residents of the Harbour District.`,
		sources: []newsroom.Source{src("Lantern Quay festival", "https://lanternquay.example/programme")},
		pic:     pic{scene: "harbour:night", caption: "Lanterns on the inner harbour during last year's festival.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
	{
		slug: "harbour-museum-shows-the-wreck-of-the-aldora", sections: []string{"culture", "harbour-district"},
		authors: []string{"coastwire"}, tags: []string{"harbour", "tourism"}, hoursAgo: 332,
		headline:   "Harbour Museum brings the wreck of the *Aldora* ashore",
		standfirst: "Objects raised from a merchant ship that sank off Gullhaven in 1786 go on show for the first time.",
		body: `Port Alder's Harbour Museum has opened an exhibition of objects recovered from the *Aldora*, a merchant ship that sank in a storm off Gullhaven in 1786 with a cargo of wine, cloth and Ketterland pottery.

The wreck was found by sport divers in 2014. Over eight summers, archaeologists from the museum raised about 600 objects, among them a ship's bell, a set of brass navigation dividers and a sealed bottle of wine.

The exhibition also tells the story of the crew. Church records in Gullhaven show that nine of the fourteen sailors survived, helped ashore by villagers who formed a human chain into the surf.

> “The objects are beautiful, but the human chain is what visitors remember. It is the oldest rescue on this coast that we can name people in.”
>
> — Elin Haug, curator at the Harbour Museum

The exhibition runs until September. The wine bottle will remain sealed.`,
		sources: []newsroom.Source{src("Harbour Museum", "https://harbourmuseum.example/exhibitions/aldora")},
		pic:     pic{scene: "coast:golden", caption: "The coast off Gullhaven, where the *Aldora* sank in 1786.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "chamber-orchestra-names-new-conductor", sections: []string{"culture"},
		authors: []string{"coastwire"}, tags: []string{"music"}, hoursAgo: 482,
		headline:   "Skerrow Chamber Orchestra names a 31-year-old as chief conductor",
		standfirst: "Ylva Branting, who grew up in Thornwick, becomes the youngest conductor in the orchestra's history.",
		body: `The Skerrow Chamber Orchestra has appointed Ylva Branting as its chief conductor from next season. At 31 she will be the youngest to hold the post since the orchestra was founded in 1959.

Branting grew up in Thornwick and played the viola in the orchestra's youth ensemble before studying conducting in Hallenburg and abroad. She has been assistant conductor of the Vessby Philharmonic for three years.

Her first season will include a cycle of symphonies by composers from the northern countries and a commission for a new work about the Ostra Isles.

> “This orchestra was my first orchestra. Coming back to lead it is the best kind of homecoming.”
>
> — Ylva Branting

The orchestra plays about 40 concerts a year, half of them outside Port Alder, in churches and school halls along the coast.`,
		sources: []newsroom.Source{src("Skerrow Chamber Orchestra", "https://skerrow-orchestra.example/news/chief-conductor")},
		pic:     pic{scene: "city:golden", caption: "Port Alder's concert hall on the harbour front.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "kelby-novelist-wins-national-book-prize", sections: []string{"culture", "ostra-isles"},
		authors: []string{"ilse-marrow"}, tags: []string{"tourism"}, hoursAgo: 662,
		headline:   "Kelby novelist wins the national book prize with a story of the islands",
		standfirst: "Hedvig Sørli's *The Winter Crossing* follows three generations of a ferry family. She wrote it at her kitchen table in Kelby.",
		body: `Hedvig Sørli, who lives in Kelby on Ostra Mor, has won Valdora's national book prize for her third novel, *The Winter Crossing*.

The book follows three generations of a family that has crewed the island ferry since the 1950s, through storms, a sinking and the slow emptying of the outer islands. The jury called it “a great novel about small places”.

Sørli, 58, worked as a teacher at Kelby School for 25 years before she began writing full time. She says every character in the book is invented, and that nobody on the island believes her.

> “Everyone in Kelby has told me which character they are. Several of them have chosen the same one.”
>
> — Hedvig Sørli

The prize is worth 250,000 crowns. Sørli says she will use part of it to fund a writing workshop for young people on the islands.`,
		sources: []newsroom.Source{src("National book prize", "https://bookprize.valdora.example/winners")},
		pic:     pic{scene: "isles:dawn", caption: "Morning over Ostra Mor, the setting of *The Winter Crossing*.", credit: "Ilse Marrow", source: nameOwn, url: urlOwn},
	},
}

var _ = newsroom.Published
