package demo

import "newsdesk/internal/newsroom"

// The world of the demo, for whoever writes more of it:
//
//   - Valdora: a small fictional republic; its Assembly sits in Hallenburg.
//   - The Skerrow Coast: Valdora's western seaboard. Port Alder is the
//     regional capital (mayor Corin Almsted; council leader Edda Strand);
//     other towns are Gullhaven, Brackwater, Thornwick, Kelmoor and Fennick
//     Point, home of the Skerrow Marine Institute. Hollin Vale lies inland.
//   - The Ostra Isles: five inhabited islands off the coast (the largest is
//     Ostra Mor, its town Kelby), served by the Ostra Line ferries.
//   - Ketterland: the neighbouring country across the Grey Strait; capital
//     Vessby.
//   - CoastWire: Valdora's news agency. The Grey Strait Brotherhood is a
//     smuggling network banned in Valdora (see DesignatedOrganization).

var sections = []Section{
	{Category: newsroom.Category{Slug: "region", Name: "Region", Position: 1, Description: "The Skerrow Coast: its towns, its islands and the roads between them."}, NameRU: "Регион", DescriptionRU: "Скерроуское побережье: его города, острова и дороги между ними."},
	{Category: newsroom.Category{Slug: "harbour-district", Name: "Harbour District", Position: 2, Description: "Port Alder's old harbour: quays, markets, the people who live and work there."}, NameRU: "Портовый квартал", DescriptionRU: "Старая гавань Порт-Олдера: причалы, рынки и люди, которые там живут и работают.", Parent: "region"},
	{Category: newsroom.Category{Slug: "ostra-isles", Name: "Ostra Isles", Position: 3, Description: "News from the five inhabited islands off the coast, from our own correspondent in Kelby."}, NameRU: "Острова Остра", DescriptionRU: "Новости пяти обитаемых островов у побережья от нашего собственного корреспондента в Келби.", Parent: "region"},
	{Category: newsroom.Category{Slug: "politics", Name: "Politics", Position: 4, Description: "The regional council, the Assembly in Hallenburg and the courts."}, NameRU: "Политика", DescriptionRU: "Региональный совет, Ассамблея в Халленбурге и суды."},
	{Category: newsroom.Category{Slug: "economy", Name: "Economy", Position: 5, Description: "Fishing, shipping, energy, jobs and prices on the coast."}, NameRU: "Экономика", DescriptionRU: "Рыболовство, судоходство, энергетика, работа и цены на побережье."},
	{Category: newsroom.Category{Slug: "world", Name: "World", Position: 6, Description: "Ketterland, the Grey Strait and the wider world, as it reaches the coast."}, NameRU: "Мир", DescriptionRU: "Кеттерланд, Серый пролив и большой мир — в той мере, в какой он доходит до побережья."},
	{Category: newsroom.Category{Slug: "science", Name: "Science", Position: 7, Description: "The sea, the weather, health and research on the coast."}, NameRU: "Наука", DescriptionRU: "Море, погода, здоровье и исследования на побережье."},
	{Category: newsroom.Category{Slug: "culture", Name: "Culture", Position: 8, Description: "Music, books, film, museums and festivals."}, NameRU: "Культура", DescriptionRU: "Музыка, книги, кино, музеи и фестивали."},
	{Category: newsroom.Category{Slug: "sport", Name: "Sport", Position: 9, Description: "Football, rowing and every other Saturday afternoon."}, NameRU: "Спорт", DescriptionRU: "Футбол, гребля и все остальные субботние дни."},
	{Category: newsroom.Category{Slug: "opinion", Name: "Opinion", Position: 10, Description: "Columns and guest essays. The views are the authors' own."}, NameRU: "Мнения", DescriptionRU: "Колонки и гостевые эссе. Взгляды принадлежат авторам."},
}

var authors = []newsroom.Author{
	{Slug: "ilse-marrow", Name: "Ilse Marrow", Label: newsroom.LabelOwnCorr,
		Bio: "Own correspondent on the Ostra Isles since 2017. Writes about ferries, fishing and island life from a rented room above the Kelby post office."},
	{Slug: "nadia-orlova", Name: "Nadia Orlova", Label: newsroom.LabelOwnCorr,
		Bio: "Own correspondent in Ketterland, across the Grey Strait. Files from Vessby in English and Russian."},
	{Slug: "coastwire", Name: "CoastWire", Label: newsroom.LabelAgency,
		Bio: "Valdora's news agency, founded by five coastal papers in 1952. Its reports run in the Courier under the agency's name."},
	{Slug: "tomas-renn", Name: "Tomas Renn", Label: newsroom.LabelStaff,
		Bio: "Political reporter. Covers the regional council in Port Alder, the Assembly in Hallenburg and the courts."},
	{Slug: "hanne-ruud", Name: "Hanne Ruud", Label: newsroom.LabelStaff,
		Bio: "Economy reporter. Before the Courier she spent eight years keeping the books of a fish auction."},
	{Slug: "sam-okafor", Name: "Sam Okafor", Label: newsroom.LabelStaff,
		Bio: "Sport reporter: football, rowing and anything else with a scoreboard."},
	{Slug: "ruth-calder", Name: "Ruth Calder", Label: newsroom.LabelEditor,
		Bio: "Science and health editor. Trained as a hydrographer; still reads tide tables for pleasure."},
	{Slug: "piet-danner", Name: "Piet Danner", Label: newsroom.LabelColumnist,
		Bio: "Columnist. Forty years a harbour pilot in Port Alder before he took up the pen; writes on Saturdays about the coast and the people who work it."},
	{Slug: "agnes-hollow", Name: "Dr Agnes Hollow", Label: newsroom.LabelGuest,
		Bio: "Marine ecologist at the Skerrow Marine Institute in Fennick Point. Writes for the Courier as a guest author."},
}

var tags = []newsroom.Tag{
	{Slug: "harbour", Name: "Harbour"},
	{Slug: "ferries", Name: "Ferries"},
	{Slug: "fishing", Name: "Fishing"},
	{Slug: "storms", Name: "Storms"},
	{Slug: "housing", Name: "Housing"},
	{Slug: "elections", Name: "Elections"},
	{Slug: "budget", Name: "Budget"},
	{Slug: "wind-power", Name: "Wind power"},
	{Slug: "schools", Name: "Schools"},
	{Slug: "health", Name: "Health"},
	{Slug: "transport", Name: "Transport"},
	{Slug: "tourism", Name: "Tourism"},
	{Slug: "football", Name: "Football"},
	{Slug: "rowing", Name: "Rowing"},
	{Slug: "music", Name: "Music"},
	{Slug: "courts", Name: "Courts"},
	{Slug: "ketterland", Name: "Ketterland"},
	{Slug: "climate", Name: "Climate"},
	{Slug: "shipyard", Name: "Shipyard"},
}

// storiesEN is every English story, by desk.
var storiesEN = concat(storiesRegion, storiesPolitics, storiesEconomy, storiesWorld, storiesScience, storiesCulture, storiesSport, storiesOpinion, storiesDesk)

func concat(tables ...[]story) []story {
	var out []story
	for _, t := range tables {
		out = append(out, t...)
	}
	return out
}

func src(name, url string) newsroom.Source { return newsroom.Source{Name: name, URL: url} }

// Picture credits used across the stories.
const (
	credOskar  = "Oskar Lind"
	credMiriam = "Miriam Tollef"
	credWire   = "CoastWire Pictures"
	nameWire   = "CoastWire"
	nameOwn    = "The Skerrow Courier"
	urlWire    = "https://coastwire.example/pictures"
	urlOwn     = "https://skerrowcourier.example/photo-desk"
)
