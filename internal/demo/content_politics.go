package demo

import "newsdesk/internal/newsroom"

var storiesPolitics = []story{
	{
		slug: "council-passes-budget-after-all-night-session", sections: []string{"politics"},
		authors: []string{"tomas-renn"}, tags: []string{"budget", "ferries"}, hoursAgo: 21,
		headline:   "Regional council passes budget after all-night session",
		standfirst: "The Coastal Alliance won the vote by two after agreeing to restore the island ferry subsidy that its own draft had cut.",
		body: `The Skerrow regional council approved next year's budget at half past five on Wednesday morning, after a session that began at ten the previous morning and ran through nineteen hours of amendments.

The final vote was 28 to 26. The governing Coastal Alliance secured it by accepting an amendment from two independent island councillors that restores the ferry subsidy to this year's level, reversing a cut of 4 million crowns in the draft.

To pay for it, the council will delay the renovation of the regional archive by a year and draw down part of its reserves. Road maintenance, the largest single item, is unchanged at 212 million crowns.

> “We listened, we counted, and we found the money. That is what a budget is supposed to be.”
>
> — Edda Strand, leader of the regional council

The opposition Green Coast group voted against, arguing that the budget still contains no money for insulating council housing. Its leader, Mattis Orre, called the ferry deal “a night-time rescue of a daytime mistake”.

The budget takes effect on the first of January. The ferry subsidy will be reviewed again in the spring, when the Ostra Line's contract comes up for renewal.`,
		sources: []newsroom.Source{src("Skerrow regional council: budget papers", "https://skerrow-council.example/budget/next-year")},
		pic:     pic{scene: "city:dawn", caption: "Dawn over the council building in Port Alder as the session ended.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "two-men-jailed-for-funding-grey-strait-brotherhood", sections: []string{"politics", "region"},
		authors: []string{"tomas-renn", "coastwire"}, tags: []string{"courts", "harbour"}, hoursAgo: 71,
		headline:   "Two men jailed for funding banned smuggling network",
		standfirst: "A Port Alder court found that the pair moved money for the Grey Strait Brotherhood * through a chain of fish-trading companies.",
		body: `The Skerrow District Court on Friday sentenced two Port Alder businessmen to four and six years in prison for financing the Grey Strait Brotherhood * (the organization is banned in Valdora), a network the court said smuggled fuel and tobacco across the strait for more than a decade.

Prosecutors showed that between 2019 and 2023 the men moved about 7 million crowns through three fish-trading companies registered at the same address in the Harbour District. Invoices for catches that were never landed, the court found, were used to pay the crews of unlit boats crossing from Ketterland at night.

Both men denied knowing where the money went. The court rejected that defence, citing text messages in which one of them referred to “the brothers' fuel bill”.

> “This was not bookkeeping that went wrong. It was bookkeeping designed to hide a smuggling operation, and it worked for years.”
>
> — Judge Hedda Lorne, delivering the verdict

The Brotherhood was designated by the Assembly in March 2019, after a customs officer was seriously injured during a night-time boarding near the Ostra Isles. Supporting it, including with money, has been a criminal offence since then.

Defence lawyers said both men would appeal. The three companies have been struck off the trade register, and the court ordered 5.2 million crowns confiscated.`,
		sources: []newsroom.Source{src("Skerrow District Court", "https://courts.valdora.example/skerrow/judgments"), src("CoastWire", "https://coastwire.example/news/brotherhood-financing-verdict")},
		pic:     pic{scene: "harbour:night", caption: "The Harbour District quays, where the three companies were registered.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "green-coast-picks-marine-biologist-to-lead-its-list", sections: []string{"politics"},
		authors: []string{"tomas-renn"}, tags: []string{"elections", "climate"}, hoursAgo: 152,
		headline:   "Green Coast picks a marine biologist to lead its list",
		standfirst: "Liv Sandvik, 38, has never stood for office. Her party hopes her work on the seagrass beds will win over fishing towns that have never voted Green.",
		body: `The Green Coast party has chosen Liv Sandvik, a researcher at the Skerrow Marine Institute, to lead its list at next year's regional election, passing over two sitting councillors.

Sandvik, 38, is best known on the coast for the seagrass replanting project in Fennick Bay, which she ran with local fishermen. She has never been a candidate and joined the party only last year.

Party members chose her by 61 percent in a postal ballot. Her supporters argued that the party needs a candidate who can talk to fishing towns where it has never won a seat.

> “I have spent ten years on boats with people who do not vote like me. We agreed on more than either of us expected.”
>
> — Liv Sandvik, in her acceptance speech

The Coastal Alliance, which has led the council for eight years, said it welcomed “a contest about the sea rather than about personalities”. The election is expected in May.`,
		sources: []newsroom.Source{src("Green Coast party", "https://greencoast.example/news/list-leader")},
		pic:     pic{scene: "coast:day", caption: "Fennick Bay, where the seagrass replanting project began.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
	{
		slug: "regional-election-set-for-the-eleventh-of-may", sections: []string{"politics"},
		authors: []string{"tomas-renn"}, tags: []string{"elections"}, hoursAgo: 301,
		headline:   "Regional election set for the eleventh of May",
		standfirst: "The date is earlier than usual so that it does not clash with the Ostra Isles' spring fishing season, the electoral commission says.",
		body: `Voters on the Skerrow Coast will elect a new regional council on the eleventh of May, the electoral commission announced on Monday.

The date is three weeks earlier than at the last election. The commission said it had moved it after island councils complained that many voters were at sea during the spring fishing season, when turnout on the Ostra Isles fell below 40 percent.

Postal voting will open four weeks before polling day, and for the first time voters will be able to request a postal ballot online. Polling stations will be open from eight in the morning until nine at night.

> “Democracy should not depend on the herring. We have moved the date, and we are making it easier to vote from a boat.”
>
> — Runa Fjell, chair of the regional electoral commission

The council has 54 seats. The Coastal Alliance holds 24, Green Coast 14 and the Valdoran Labour Party 11, with the rest shared between independents and two smaller parties.`,
		sources: []newsroom.Source{src("Regional electoral commission", "https://elections.skerrow.example/regional")},
		pic:     pic{scene: "city:day", caption: "Port Alder's old town, where the council has met since 1921.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
	{
		slug: "assembly-debates-fisheries-bill", sections: []string{"politics", "economy"},
		authors: []string{"coastwire"}, tags: []string{"fishing"}, hoursAgo: 502,
		headline:   "Assembly opens debate on bill to reserve quota for small boats",
		standfirst: "The bill would set aside a fifth of the national herring quota for boats under 15 metres. Trawler owners say it would cost jobs at sea and ashore.",
		body: `The Assembly in Hallenburg began its first debate on Tuesday on a fisheries bill that would reserve a fifth of Valdora's herring quota for boats shorter than 15 metres.

The government says the change would keep fishing alive in small harbours, where the number of working boats has fallen by half since 2005 as quota has moved to larger vessels based in Port Alder and Brackwater.

The Valdoran Trawler Owners' Association says the bill would leave its members' boats idle for part of the year and put processing jobs at risk.

> “Every small harbour that loses its last boat loses its reason to exist. This bill is about villages as much as about fish.”
>
> — Fisheries minister Aron Vedel, opening the debate

The bill goes to the fisheries committee next month. Several coastal members of the governing coalition have said they will support it only if the reserved share is phased in over five years.`,
		sources: []newsroom.Source{src("Assembly of Valdora: bill text", "https://assembly.valdora.example/bills/fisheries-quota"), src("CoastWire", "https://coastwire.example/news/fisheries-bill-debate")},
		pic:     pic{scene: "harbour:overcast", caption: "Small boats in Gullhaven harbour.", credit: credWire, source: nameWire, url: urlWire},
	},
	{
		slug: "mayor-almsted-unveils-harbour-front-plan", sections: []string{"politics", "harbour-district"},
		authors: []string{"tomas-renn"}, tags: []string{"harbour", "housing"}, hoursAgo: 702,
		headline:   "Mayor unveils plan to build homes on the old coal wharf",
		standfirst: "Corin Almsted wants 400 flats, a third of them for rent at capped prices, on land the port no longer needs.",
		body: `Port Alder's mayor, Corin Almsted, on Thursday presented a plan to build about 400 homes on the old coal wharf at the southern edge of the Harbour District, empty since the power station switched to gas in 2009.

A third of the flats would be let at rents capped at the regional average, and another third sold to first-time buyers at a discount. The rest would be sold on the open market to pay for the scheme.

The plan also includes a public path along the water's edge, a small park and a primary school. The harbour authority, which owns the land, has agreed in principle to transfer it to the city.

> “The Harbour District was built by people who worked here and lived here. I want the next chapter to be written the same way.”
>
> — Corin Almsted, mayor of Port Alder

The Harbour District Tenants' Association called the plan a good start but asked for the share of capped-rent homes to be raised to a half. A public consultation opens next month.`,
		sources: []newsroom.Source{src("City of Port Alder", "https://portalder.example/news/coal-wharf-plan")},
		pic:     pic{scene: "harbour:golden", caption: "The old coal wharf at the southern end of the Harbour District.", credit: credMiriam, source: nameOwn, url: urlOwn},
	},
	{
		slug: "young-voters-turnout-campaign", sections: []string{"politics"},
		authors: []string{"tomas-renn"}, tags: []string{"elections", "schools"}, hoursAgo: 851,
		headline:   "Schools enlisted in push to get first-time voters to the polls",
		standfirst: "Only one in three voters under 25 took part in the last regional election. The electoral commission wants to double that.",
		body: `Every secondary school on the Skerrow Coast will hold a mock election next spring, with real ballot boxes on loan from the electoral commission, as part of a campaign to raise turnout among young voters.

At the last regional election only 34 percent of voters under 25 cast a ballot, against 68 percent of those over 60. The gap was widest on the Ostra Isles, where many young people study on the mainland and are registered at their parents' address.

The commission will also send a reminder letter to every voter who turns 18 in the year before the election, with instructions for voting by post.

> “Young people are not apathetic. They are busy, they move a lot, and nobody has ever shown them how the thing works.”
>
> — Runa Fjell, chair of the regional electoral commission

The mock elections will use the real parties' programmes. Party youth wings have been invited to debate in schools, on condition that all parties are invited at once.`,
		sources: []newsroom.Source{src("Regional electoral commission: turnout report", "https://elections.skerrow.example/reports/turnout")},
		pic:     pic{scene: "hills:day", caption: "Hollin Vale, where turnout among young voters was lowest.", credit: credOskar, source: nameOwn, url: urlOwn},
	},
}

var _ = newsroom.Published
