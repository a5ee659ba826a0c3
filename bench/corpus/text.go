package main

// The generated stories: English and Russian news from the demo's
// fictional coast (Valdora's Skerrow Coast, the Ostra Isles, Ketterland
// across the Grey Strait), assembled from phrase banks per section so that
// a million of them read differently, common words (harbour, ferry,
// council) are common, and names made of syllables are rare. All text here
// is written for this generator.

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// place is a town or island in the forms a sentence needs: English, and
// Russian nominative, genitive and prepositional with its preposition.
type place struct {
	en, ru, ruGen, ruIn string
}

var places = []place{
	{"Port Alder", "Порт-Олдер", "Порт-Олдера", "в Порт-Олдере"},
	{"Kelby", "Келби", "Келби", "в Келби"},
	{"Hallenburg", "Халленбург", "Халленбурга", "в Халленбурге"},
	{"Skerrow", "Скерроу", "Скерроу", "в Скерроу"},
	{"Vessby", "Вессбю", "Вессбю", "в Вессбю"},
	{"Skell", "Скелл", "Скелла", "на Скелле"},
	{"Varra", "Варра", "Варры", "на Варре"},
	{"Marden", "Марден", "Мардена", "в Мардене"},
	{"Tollwick", "Толлвик", "Толлвика", "в Толлвике"},
	{"Brenna Point", "мыс Бренна", "мыса Бренна", "на мысе Бренна"},
	{"Lowmoor", "Лоумур", "Лоумура", "в Лоумуре"},
	{"Ostra", "Остра", "Остры", "на Остре"},
	{"Fennick", "Фенник", "Фенника", "в Феннике"},
	{"Greywater", "Грейуотер", "Грейуотера", "в Грейуотере"},
	{"Aldmouth", "Олдмут", "Олдмута", "в Олдмуте"},
}

var (
	firstEN = []string{"Anna", "Bram", "Clara", "Dag", "Edda", "Finn", "Greta", "Hal", "Ines", "Jon", "Kari", "Lena",
		"Mats", "Nora", "Olav", "Petra", "Rune", "Sigrid", "Tor", "Ulla", "Vera", "Wim", "Ylva", "Aksel", "Britt", "Emil"}
	lastEN = []string{"Holm", "Tann", "Varde", "Rist", "Brenn", "Kail", "Lorne", "Marrow", "Tolle", "Ruud", "Danner",
		"Calder", "Vik", "Strand", "Lund", "Berg", "Hagen", "Moe", "Falk", "Dahl", "Sand", "Eng", "Lie", "Bakke"}
	firstRU = []string{"Анна", "Брам", "Клара", "Даг", "Эдда", "Финн", "Грета", "Хал", "Инес", "Йон", "Кари", "Лена",
		"Матс", "Нора", "Олав", "Петра", "Руне", "Сигрид", "Тор", "Улла", "Вера", "Вим", "Ильва", "Аксель", "Бритт", "Эмиль"}
	lastRU = []string{"Хольм", "Танн", "Варде", "Рист", "Бренн", "Кайл", "Лорне", "Марроу", "Толле", "Рууд", "Даннер",
		"Колдер", "Вик", "Странд", "Лунд", "Берг", "Хаген", "Моэ", "Фальк", "Даль", "Санд", "Энг", "Ли", "Бакке"}
	// Syllables of rare names: ships, farms, family businesses.
	sylEN = []string{"ka", "ri", "mo", "ve", "stan", "dal", "bre", "lo", "nor", "thi", "gar", "sel", "un", "wen", "ost", "fal"}
	sylRU = []string{"ка", "ри", "мо", "ве", "стан", "даль", "бре", "ло", "нор", "ти", "гар", "сель", "ун", "вен", "ост", "фаль"}
)

// roleEN and roleRU are the same roles, in the same order.
var (
	roleEN = []string{"a councillor in %s", "the harbour master of %s", "a skipper from %s", "the mayor of %s",
		"a teacher in %s", "a nurse at the hospital in %s", "a shopkeeper in %s", "a spokesperson for the regional council",
		"an economist at the university in Hallenburg", "the chair of the fishermen's cooperative", "a resident of %s",
		"the head of Ostra Line", "a coach in %s", "a union organiser at the shipyard in Marden"}
	roleRU = []string{"депутат совета, %s", "начальник порта, %s", "шкипер, %s", "мэр, %s",
		"учительница, %s", "медсестра больницы, %s", "владелец лавки, %s", "представитель регионального совета",
		"экономист Халленбургского университета", "председатель рыболовецкого кооператива", "житель, %s",
		"глава Ostra Line", "тренер, %s", "профсоюзный активист верфи в Мардене"}
)

// section is one section's phrase bank: headlines, standfirsts and
// sentences, with {P} a place, {N} a person, {R} a rare name, {X} a number
// and {Y} a year. Russian places take their forms: {P} nominative, {PG}
// genitive, {PI} "в …"/"на …".
type bank struct {
	headEN, standEN, sentEN []string
	headRU, standRU, sentRU []string
}

var banks = map[string]bank{
	"region": {
		headEN: []string{"Road to {P} closed for {X} weeks of repairs", "{P} votes to keep its library open on Sundays",
			"New bus line links {P} with the coast road", "Landslip cuts the lane above {P}", "{P} marks {X} years of its market charter"},
		standEN: []string{"The council says the work cannot wait another winter.", "Residents had asked for it at three public meetings.",
			"Drivers face a detour of about {X} kilometres."},
		sentEN: []string{"The regional council confirmed the plan on Tuesday after a vote of {X} to 4.",
			"Traffic will be sent along the old coast road, which adds about twenty minutes to the journey.",
			"Shops on the high street in {P} say trade has been slow since the spring.",
			"The last repairs to the road were made in {Y}, when the sea wall above the harbour gave way.",
			"Bus timetables will change from Monday, and the school run will leave ten minutes earlier.",
			"A public meeting is planned for next week in the community hall in {P}."},
		headRU: []string{"Дорогу на {P} закроют на ремонт на {X} недель", "{P} сохранит воскресные часы работы библиотеки",
			"Новый автобус свяжет {P} с прибрежным шоссе", "Оползень перекрыл дорогу над {PI}", "{P} отмечает {X} лет своей ярмарке"},
		standRU: []string{"В совете говорят, что ремонт не может ждать ещё одну зиму.", "Об этом жители просили на трёх собраниях.",
			"Водителям придётся делать крюк примерно в {X} километров."},
		sentRU: []string{"Региональный совет утвердил план во вторник: {X} голосов против четырёх.",
			"Движение пустят по старой прибрежной дороге, это добавит к поездке около двадцати минут.",
			"Владельцы лавок на главной улице {PG} говорят, что с весны торговля идёт вяло.",
			"Последний раз дорогу ремонтировали в {Y} году, когда над гаванью обрушилась дамба.",
			"С понедельника изменится расписание автобусов, школьный рейс будет уходить на десять минут раньше.",
			"На следующей неделе в доме культуры {PG} пройдёт открытое собрание."},
	},
	"harbour-district": {
		headEN: []string{"Harbour board approves new quay in {P}", "Fish market in {P} to stay in the old sheds",
			"Night ferry berth in {P} to be dredged", "Harbour rents in {P} rise by {X} per cent", "Old crane on the quay at {P} to be saved"},
		standEN: []string{"Traders welcomed the decision, though not the price.", "The work is due to start after the herring season.",
			"The harbour board says the berth has silted up faster than expected."},
		sentEN: []string{"The harbour board met for three hours before it agreed to the plan.",
			"Boats will be moved to the outer basin while the quay is rebuilt.",
			"The fish market has stood on the same quay in {P} since {Y}.",
			"Skippers say the channel is now too shallow at low tide for the larger trawlers.",
			"The trawler {R} was the first to tie up at the new pontoon.",
			"Rents for the harbour sheds had not risen for eleven years."},
		headRU: []string{"Портовое управление одобрило новый причал {PI}", "Рыбный рынок {PI} останется в старых ангарах",
			"Ночной паромный причал {PI} углубят", "Аренда в порту {PG} вырастет на {X} процентов", "Старый кран на причале {PI} сохранят"},
		standRU: []string{"Торговцы решение одобрили, а цену — нет.", "Работы начнутся после сезона сельди.",
			"В портовом управлении говорят, что причал заилился быстрее, чем ожидали."},
		sentRU: []string{"Портовое управление совещалось три часа, прежде чем согласилось с планом.",
			"На время перестройки причала лодки переведут во внешний бассейн.",
			"Рыбный рынок стоит на этом причале {PI} с {Y} года.",
			"Шкиперы говорят, что в отлив фарватер стал слишком мелким для больших траулеров.",
			"Первым у нового понтона пришвартовался траулер «{R}».",
			"Аренду портовых ангаров не повышали одиннадцать лет."},
	},
	"ostra-isles": {
		headEN: []string{"Ferry to {P} cut to two sailings a week", "Islanders on {P} raise money for a new doctor's boat",
			"Storm leaves {P} without power for {X} hours", "School on {P} gets its first new pupils in years", "Wind turbine planned for {P}"},
		standEN: []string{"Ostra Line blames fuel prices and an ageing ship.", "The nearest surgery is two hours away by sea.",
			"Engineers reached the island on the first calm morning."},
		sentEN: []string{"Ostra Line says the winter timetable will be reviewed in February.",
			"The ferry {R} spent eleven weeks in dry dock this year.",
			"Parents on {P} say children will have to board in Kelby during the week.",
			"The island's population has fallen to fewer than {X} people.",
			"The petition for a daily winter ferry has been signed by more than 900 people.",
			"Power was restored on Thursday evening after a cable was repaired at the landing stage."},
		headRU: []string{"Паром на {P} будет ходить дважды в неделю", "Жители острова собирают деньги на катер для врача, {P}",
			"Шторм оставил {P} без электричества на {X} часов", "В школу {PI} впервые за годы пришли новые ученики", "{PI} планируют поставить ветряк"},
		standRU: []string{"Ostra Line ссылается на цены на топливо и старое судно.", "До ближайшего врача два часа по морю.",
			"Инженеры добрались до острова в первое же тихое утро."},
		sentRU: []string{"В Ostra Line обещают пересмотреть зимнее расписание в феврале.",
			"Паром «{R}» в этом году провёл в доке одиннадцать недель.",
			"Родители говорят, что детям придётся всю неделю жить в Келби.",
			"Население острова сократилось до {X} человек.",
			"Петицию за ежедневный зимний паром подписали более 900 человек.",
			"Электричество вернули в четверг вечером, когда починили кабель у пристани."},
	},
	"politics": {
		headEN: []string{"Regional council passes budget after all-night session", "Assembly in Hallenburg debates ferry subsidy",
			"Mayor of {P} faces vote of no confidence", "Elections in {P}: turnout up by {X} points", "Court in Skerrow rules on harbour fees"},
		standEN: []string{"The opposition says the deal leaves the islands behind.", "The vote is expected before the summer recess.",
			"The ruling will affect every boat owner on the coast."},
		sentEN: []string{"The budget was approved by {X} votes to 19 shortly after dawn.",
			"Members of the Assembly argued over who should pay for the winter ferries.",
			"The mayor of {P} told reporters she would not resign.",
			"Turnout at the elections was the highest since {Y}.",
			"The court found that the fees had been raised without proper notice.",
			"{N}, who leads the opposition group, called the plan a step in the right direction."},
		headRU: []string{"Региональный совет принял бюджет после ночного заседания", "Ассамблея в Халленбурге обсуждает субсидии паромам",
			"Мэру {PG} грозит вотум недоверия", "Выборы {PI}: явка выросла на {X} пунктов", "Суд Скерроу вынес решение о портовых сборах"},
		standRU: []string{"Оппозиция говорит, что острова остались ни с чем.", "Голосование ожидается до летних каникул.",
			"Решение коснётся каждого владельца лодки на побережье."},
		sentRU: []string{"Бюджет приняли {X} голосами против девятнадцати вскоре после рассвета.",
			"Депутаты Ассамблеи спорили о том, кто должен платить за зимние паромы.",
			"Мэр {PG} заявила журналистам, что не уйдёт в отставку.",
			"Явка на выборах стала самой высокой с {Y} года.",
			"Суд установил, что сборы подняли без надлежащего уведомления.",
			"{N}, лидер оппозиции, назвал план шагом в правильном направлении."},
	},
	"economy": {
		headEN: []string{"Shipyard in Marden wins order for {X} ferries", "Herring catch falls for a third year",
			"Prices in {P} shops up {X} per cent", "Wind farm off {P} to employ 200 people", "Bank opens a branch in {P} again"},
		standEN: []string{"The order secures work at the yard until the end of the decade.", "Scientists blame warmer water in the strait.",
			"Food and fuel account for most of the rise."},
		sentEN: []string{"The shipyard employs about {X} people and has had no new order since {Y}.",
			"The herring catch landed at the coast's harbours fell to its lowest level in twenty years.",
			"Shops in {P} say customers are buying less and shopping nearer home.",
			"Coastal Energy says the turbines will be assembled on the quay at Marden.",
			"The family firm {R} has sold fish in {P} for four generations.",
			"Economists at the university in Hallenburg expect prices to steady next year."},
		headRU: []string{"Верфь в Мардене получила заказ на {X} паромов", "Улов сельди падает третий год подряд",
			"Цены в магазинах {PG} выросли на {X} процентов", "Ветропарк у {PG} даст работу 200 людям", "Банк снова открыл отделение {PI}"},
		standRU: []string{"Заказ обеспечит верфь работой до конца десятилетия.", "Учёные винят потепление воды в проливе.",
			"Большая часть роста пришлась на еду и топливо."},
		sentRU: []string{"На верфи работают около {X} человек, нового заказа не было с {Y} года.",
			"Улов сельди в портах побережья упал до самого низкого уровня за двадцать лет.",
			"Продавцы {PG} говорят, что покупатели стали брать меньше.",
			"В Coastal Energy говорят, что турбины соберут на причале в Мардене.",
			"Семейная фирма «{R}» торгует рыбой {PI} уже четыре поколения.",
			"Экономисты Халленбургского университета ждут, что цены в следующем году стабилизируются."},
	},
	"world": {
		headEN: []string{"Ketterland talks on strait bridge resume", "Grey Strait shipping lanes to be redrawn",
			"Ketterland elections leave no clear winner", "Fishing rights in the strait: new deal signed", "Ketterland's ferry strike ends after {X} days"},
		standEN: []string{"Both governments say a decision could come within a year.", "Coastguards on both sides have asked for the change.",
			"The deal sets quotas for the next {X} years."},
		sentEN: []string{"Negotiators from Ketterland and Valdora met in Vessby for two days of talks.",
			"The bridge across the Grey Strait has been discussed since {Y}.",
			"Ketterland's coalition talks could take weeks, officials said.",
			"Skippers from {P} say the new lanes will add an hour to a crossing.",
			"The strike halted every crossing between Vessby and Port Alder.",
			"{N} said the agreement was the best either side could hope for."},
		headRU: []string{"Возобновились переговоры с Кеттерландом о мосте через пролив", "Морские пути в Сером проливе перечертят",
			"Выборы в Кеттерланде не выявили победителя", "Подписано новое соглашение о рыболовстве в проливе", "Забастовка паромщиков в Кеттерланде закончилась через {X} дней"},
		standRU: []string{"Оба правительства говорят, что решение возможно в течение года.", "Об изменениях просили пограничники обеих стран.",
			"Соглашение устанавливает квоты на {X} лет вперёд."},
		sentRU: []string{"Переговорщики Кеттерланда и Вальдоры два дня встречались в Вессбю.",
			"Мост через Серый пролив обсуждают с {Y} года.",
			"По словам чиновников, коалиционные переговоры в Кеттерланде могут занять недели.",
			"Шкиперы из {PG} говорят, что новые пути добавят к переходу час.",
			"Забастовка остановила все рейсы между Вессбю и Порт-Олдером.",
			"{N} назвал соглашение лучшим, на что могли рассчитывать стороны."},
	},
	"science": {
		headEN: []string{"Seal numbers off {P} at a record high", "Sea temperature in the strait rises by {X} tenths of a degree",
			"Hospital in Skerrow trials a new heart monitor", "Seagrass meadows return to the bay at {P}", "Storm season: what the forecasters expect"},
		standEN: []string{"Researchers counted the colony from the air for the first time.", "The readings come from buoys moored since {Y}.",
			"The trial will run for eighteen months."},
		sentEN: []string{"Researchers from the university in Hallenburg counted more than {X} seals.",
			"The buoys measure the temperature of the water every ten minutes.",
			"Doctors say the monitor could shorten the wait for a diagnosis.",
			"The seagrass had all but vanished from the bay by {Y}.",
			"Forecasters expect more storms than usual between November and February.",
			"{N}, who leads the study, said the results were encouraging but early."},
		headRU: []string{"Число тюленей у {PG} достигло рекорда", "Температура воды в проливе выросла на {X} десятых градуса",
			"Больница Скерроу испытывает новый кардиомонитор", "В залив у {PG} вернулись луга морской травы", "Сезон штормов: чего ждут синоптики"},
		standRU: []string{"Учёные впервые пересчитали колонию с воздуха.", "Данные получены с буёв, стоящих с {Y} года.",
			"Испытания продлятся полтора года."},
		sentRU: []string{"Исследователи Халленбургского университета насчитали более {X} тюленей.",
			"Буи измеряют температуру воды каждые десять минут.",
			"Врачи говорят, что монитор может сократить ожидание диагноза.",
			"К {Y} году морская трава почти исчезла из залива.",
			"Синоптики ждут больше штормов, чем обычно, с ноября по февраль.",
			"{N}, руководитель исследования, назвал результаты обнадёживающими, но предварительными."},
	},
	"culture": {
		headEN: []string{"Harbour festival in {P} draws {X} thousand visitors", "Museum in Skerrow reopens its maritime hall",
			"Choir from {P} wins the coast's song contest", "Film shot on {P} opens in Hallenburg", "Library in {P} lends its millionth book"},
		standEN: []string{"Organisers say it was the busiest year since the festival began.", "The hall was closed for repairs for two years.",
			"The choir sang in three languages."},
		sentEN: []string{"The festival filled the quays in {P} for three days.",
			"The museum's maritime hall holds the figurehead of the schooner {R}.",
			"The choir has rehearsed in the church hall every Thursday since {Y}.",
			"The film follows a family of ferry workers through one winter.",
			"Librarians say children's books are borrowed more than any others.",
			"{N} wrote the music for the festival's closing night."},
		headRU: []string{"Портовый фестиваль {PI} собрал {X} тысяч гостей", "Музей Скерроу вновь открыл морской зал",
			"Хор из {PG} победил в песенном конкурсе побережья", "Фильм, снятый {PI}, выходит в Халленбурге", "Библиотека {PG} выдала миллионную книгу"},
		standRU: []string{"Организаторы говорят, что такого наплыва не было с самого начала фестиваля.", "Зал два года был закрыт на ремонт.",
			"Хор пел на трёх языках."},
		sentRU: []string{"Три дня фестиваль заполнял причалы {PG}.",
			"В морском зале музея хранится носовая фигура шхуны «{R}».",
			"Хор репетирует в приходском зале каждый четверг с {Y} года.",
			"Фильм рассказывает о семье паромщиков на протяжении одной зимы.",
			"Библиотекари говорят, что детские книги берут чаще всех остальных.",
			"{N} написал музыку для заключительного вечера фестиваля."},
	},
	"sport": {
		headEN: []string{"{P} win the coast cup after extra time", "Rowing crew from {P} sets a course record",
			"Football club in {P} appoints a new coach", "Harbour swim in {P} raises money for the lifeboat", "{P} lose {X}-1 in the league"},
		standEN: []string{"The winning goal came two minutes from the end.", "The crew took {X} seconds off the old record.",
			"The club has not won the league since {Y}."},
		sentEN: []string{"More than {X} supporters made the trip along the coast road for the match.",
			"The rowing crew trains on the bay at {P} before work every morning.",
			"The new coach played for the club for eleven seasons.",
			"Swimmers crossed the harbour mouth in water of eleven degrees.",
			"{N} scored twice in the second half.",
			"The league table will be decided on the last Saturday of the season."},
		headRU: []string{"Команда {PG} выиграла кубок побережья в дополнительное время", "Гребцы из {PG} установили рекорд трассы",
			"Футбольный клуб {PG} назначил нового тренера", "Заплыв через гавань {PG} собрал деньги для спасателей", "Команда {PG} проиграла в лиге со счётом {X}:1"},
		standRU: []string{"Победный гол забили за две минуты до конца.", "Экипаж улучшил старый рекорд на {X} секунд.",
			"Клуб не выигрывал лигу с {Y} года."},
		sentRU: []string{"На матч по прибрежной дороге приехали более {X} болельщиков.",
			"Экипаж каждое утро перед работой тренируется в заливе {PI}.",
			"Новый тренер одиннадцать сезонов играл за клуб.",
			"Пловцы пересекли вход в гавань при температуре воды одиннадцать градусов.",
			"{N} забил дважды во втором тайме.",
			"Таблицу лиги определит последняя суббота сезона."},
	},
	"opinion": {
		headEN: []string{"The ferry is not a luxury for {P}", "Why the harbour needs its old sheds",
			"A bridge across the strait would change more than journeys", "Let {P} keep its school", "What the budget forgets"},
		standEN: []string{"A town cut off for half the week is not a town the coast can afford to lose.", "The plans look tidy on paper.",
			"Every generation on this coast has argued about it."},
		sentEN: []string{"Anyone who has waited on the quay at {P} in February knows what a cancelled ferry means.",
			"The council's figures leave out the cost of doing nothing.",
			"The harbour was built by people who could not afford to waste a plank.",
			"We have heard the same promise in {Y} and again since.",
			"A school is the last public building many villages have.",
			"{N} put it better than any report: the coast is its people."},
		headRU: []string{"Паром для {PG} — не роскошь", "Зачем гавани её старые ангары",
			"Мост через пролив изменит больше, чем дорогу", "Пусть {P} сохранит свою школу", "О чём забыл бюджет"},
		standRU: []string{"Город, отрезанный от мира полнедели, — это город, который побережье не может потерять.", "На бумаге планы выглядят аккуратно.",
			"Об этом спорило каждое поколение на побережье."},
		sentRU: []string{"Кто ждал паром на причале {PI} в феврале, знает, что значит отменённый рейс.",
			"В расчётах совета нет цены бездействия.",
			"Гавань строили люди, которые не могли позволить себе потерять ни доски.",
			"Мы слышали это обещание в {Y} году и не раз с тех пор.",
			"Школа — последнее общественное здание во многих деревнях.",
			"{N} сказал лучше любого отчёта: побережье — это его люди."},
	},
}

// Sentences any section may use, for the body's middle.
var (
	commonEN = []string{"The decision is expected to be reviewed next year.", "Not everyone in {P} agrees.",
		"Officials declined to give a date.", "The plan will be put to a public consultation in the spring.",
		"The figures were published on the council's website on Friday.", "Similar plans were dropped in {Y}.",
		"Some residents of {P} say they were not asked.", "The harbour was quiet by the evening.",
		"Local businesses say they need certainty more than money.", "The storm season made the work harder than planned."}
	commonRU = []string{"Решение собираются пересмотреть в следующем году.", "Не все {PI} с этим согласны.",
		"Назвать дату чиновники отказались.", "Весной план вынесут на общественное обсуждение.",
		"Цифры опубликовали на сайте совета в пятницу.", "Похожие планы отвергли в {Y} году.",
		"Часть жителей {PG} говорит, что их мнения не спросили.", "К вечеру в гавани стало тихо.",
		"Местный бизнес говорит, что ему нужна определённость, а не деньги.", "Сезон штормов осложнил работу."}
	quoteEN = []string{"We have waited long enough, and we will keep asking until someone listens.",
		"Nobody on the coast wants this to drag on for another winter.", "It is a good start, but only a start.",
		"The sea does not read timetables.", "People here are patient, but they are not endlessly patient."}
	quoteRU = []string{"Мы ждали достаточно и будем спрашивать, пока нас не услышат.",
		"Никто на побережье не хочет, чтобы это тянулось ещё одну зиму.", "Это хорошее начало, но только начало.",
		"Море не читает расписаний.", "Люди здесь терпеливы, но не бесконечно."}
)

// story is one generated article's text.
type story struct {
	headline, standfirst, body, slugBase string
	place                                string // its place's English name
}

// writer makes stories from one random source.
type writer struct{ rng *rand.Rand }

func (w writer) pick(list []string) string { return list[w.rng.IntN(len(list))] }

func (w writer) rare(syl []string) string {
	n := 2 + w.rng.IntN(2)
	var b strings.Builder
	for range n {
		b.WriteString(w.pick(syl))
	}
	s := b.String()
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// fill replaces the slots of t for one story: pl is its place.
func (w writer) fill(t string, ru bool, pl place, person string) string {
	if !strings.Contains(t, "{") {
		return t
	}
	syl := sylEN
	if ru {
		syl = sylRU
	}
	rep := []string{"{X}", fmt.Sprint(2 + w.rng.IntN(60)), "{Y}", fmt.Sprint(1968 + w.rng.IntN(56)),
		"{N}", person, "{R}", w.rare(syl)}
	if ru {
		rep = append(rep, "{PG}", pl.ruGen, "{PI}", pl.ruIn, "{P}", pl.ru)
	} else {
		rep = append(rep, "{P}", pl.en)
	}
	return strings.NewReplacer(rep...).Replace(t)
}

// story writes one story of section in lang ("en" or "ru").
func (w writer) story(section, lang string) story {
	b, ok := banks[section]
	if !ok {
		b = banks["region"]
	}
	ru := lang == "ru"
	head, stand, sent, common, quotes := b.headEN, b.standEN, b.sentEN, commonEN, quoteEN
	first, last := firstEN, lastEN
	if ru {
		head, stand, sent, common, quotes = b.headRU, b.standRU, b.sentRU, commonRU, quoteRU
		first, last = firstRU, lastRU
	}
	pl := places[w.rng.IntN(len(places))]
	person := w.pick(first) + " " + w.pick(last)
	f := func(t string) string { return w.fill(t, ru, pl, person) }
	hi := w.rng.IntN(len(head))
	s := story{headline: f(head[hi]), standfirst: f(w.pick(stand)), place: pl.en}
	s.slugBase = fmt.Sprintf("%s-%d-%s", section, hi+1, slugPlace(pl.en))
	// The body's sentences are drawn without repeating one: the
	// section's own and the common ones, shuffled.
	pool := append(append([]string(nil), sent...), common...)
	w.rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	next := 0
	var body strings.Builder
	paras := 4 + w.rng.IntN(3)
	quoteAt := 1 + w.rng.IntN(paras-1)
	for p := range paras {
		if p > 0 {
			body.WriteString("\n\n")
		}
		if p == quoteAt {
			roles := roleEN
			if ru {
				roles = roleRU
			}
			role := w.pick(roles)
			if strings.Contains(role, "%s") {
				where := pl.en
				if ru {
					where = pl.ru
				}
				role = fmt.Sprintf(role, where)
			}
			open, close := "“", "”"
			if ru {
				open, close = "«", "»"
			}
			fmt.Fprintf(&body, "> %s%s%s\n>\n> — %s, %s", open, w.pick(quotes), close, person, role)
			continue
		}
		n := 2 + w.rng.IntN(2)
		for i := range n {
			if i > 0 {
				body.WriteByte(' ')
			}
			body.WriteString(f(pool[next%len(pool)]))
			next++
		}
	}
	body.WriteByte('\n')
	s.body = body.String()
	return s
}

func slugPlace(s string) string { return strings.ReplaceAll(strings.ToLower(s), " ", "-") }
