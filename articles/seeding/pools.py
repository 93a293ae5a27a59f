"""
The words a seeded archive is made of: plain data, no Django.

Lists run from the most to the least used where order matters (sections,
agencies, datelines, topics), since the seeder picks with a ~1/rank
popularity.
"""

# name, slug, description; the weight is how much of the wire it carries.
SECTIONS = [
    ("World", "world", "News from around the globe.", 30),
    ("Politics", "politics", "Governments, parliaments and elections.", 20),
    ("Economy", "economy", "Markets, trade and business.", 18),
    ("Society", "society", "Health, education, cities and people.", 10),
    ("Military & Defense", "military-defense", "Armed forces, security and defence policy.", 7),
    ("Science", "science", "Research, space and technology.", 6),
    ("Sport", "sport", "Results, transfers and tournaments.", 5),
    ("Culture", "culture", "Books, film, music and museums.", 4),
]

# name, mark as printed, house style (blank: the site's), share of the copy.
# What is left over is the newsroom's own staff copy, with no agency mark.
AGENCIES = [
    ("TASS", "/TASS/", "", 0.50),
    ("Reuters", "(Reuters)", "reuters", 0.10),
    ("AP", "(AP)", "ap", 0.08),
    ("AFP", "(AFP)", "", 0.05),
]

# The busiest datelines first, as a news agency files them; the seeder
# fills up the rest from capitals and large cities in the gazetteer.
DATELINES = """
Moscow|Washington|Kyiv|London|Beijing|Paris|Berlin|Brussels|Tokyo|New York|
St. Petersburg|Ankara|Tehran|Jerusalem|Cairo|Delhi|Minsk|Geneva|Vienna|Rome|
Warsaw|Madrid|Tbilisi|Yerevan|Baku|Astana|Tashkent|Damascus|Beirut|Baghdad|
Riyadh|Dubai|Doha|Islamabad|Kabul|Seoul|Pyongyang|Hanoi|Bangkok|Jakarta|
Manila|Singapore|Canberra|Sydney|Ottawa|Mexico City|Brasilia|Buenos Aires|
Caracas|Havana|Lima|Bogota|Santiago|Pretoria|Johannesburg|Nairobi|Addis Ababa|
Lagos|Abuja|Dakar|Kinshasa|Khartoum|Tripoli|Algiers|Rabat|Tunis|Athens|
Belgrade|Budapest|Prague|Bucharest|Sofia|Chisinau|Riga|Vilnius|Tallinn|
Helsinki|Stockholm|Oslo|Copenhagen|Amsterdam|The Hague|Luxembourg|Bern|Lisbon|
Dublin|Vladivostok|Novosibirsk|Yekaterinburg|Kazan|Sochi|Kaliningrad|Murmansk|
Donetsk|Odesa|Kharkiv|Lviv|Istanbul|Shanghai|Hong Kong|Taipei|Osaka|Mumbai|
Karachi|Dhaka|Colombo|Kathmandu|Ulaanbaatar|Bishkek|Dushanbe|Ashgabat|Muscat|
Amman|Kuwait City|Manama|Sanaa|Los Angeles|San Francisco|Chicago|Houston|Miami|
Toronto|Vancouver|Montreal|Sao Paulo|Rio de Janeiro|Montevideo|Quito|La Paz|
Panama City|Managua|Frankfurt|Munich|Hamburg|Milan|Barcelona|Marseille|Zurich|
Kraków|Minneapolis|Seattle|Boston|Atlanta|Denver|Phoenix|Detroit|Anchorage
"""

# Subjects an agency tags by, most used first.
TOPICS = """
Politics|Economy|Elections|Diplomacy|Conflicts|Energy|Oil|Natural gas|Trade|
Sanctions|Inflation|Central banks|Interest rates|Budget|Taxes|Markets|Stocks|
Currencies|Agriculture|Grain|Food security|Climate|Weather|Floods|Wildfires|
Earthquakes|Health|Vaccines|Hospitals|Education|Universities|Science|Space|
Technology|Artificial intelligence|Cybersecurity|Telecommunications|Transport|
Aviation|Railways|Shipping|Ports|Automobiles|Housing|Construction|Tourism|
Labour|Unemployment|Pensions|Migration|Refugees|Human rights|Courts|Crime|
Terrorism|Police|Corruption|Military|Defence industry|Nuclear weapons|
Arms control|Navy|Peace talks|Humanitarian aid|Parliament|Government|
Presidency|Local government|Opposition|Protests|Media|Culture|Cinema|Music|
Literature|Theatre|Museums|Heritage|Religion|Sport|Football|Ice hockey|
Tennis|Athletics|Olympic Games|Chess|Fisheries|Forestry|Mining|Metals|Gold|
Coal|Nuclear power|Renewable energy|Electricity|Water|Environment|Wildlife|
Arctic|Antarctica|Oceans|Demography|Family|Children|Youth|Veterans|Disability|
Public health|Epidemics|Pharmaceuticals|Biotechnology|Banking|Insurance|
Investment|Privatisation|Startups|Retail|Consumer prices|Logistics|Pipelines|
LNG|Fertilisers|Steel|Aluminium|Shipbuilding|Satellites|Rockets|Astronomy|
Physics|Medicine|Archaeology|History|Anniversaries|Awards|Obituaries|
Accidents|Fires|Rescue|Transport safety|Road safety|Border|Customs|Visas|
Diaspora|Languages|Summits|Treaties|Integration|Regional development|Cities
"""

ORGANISATIONS = """
United Nations|UN Security Council|European Union|NATO|BRICS|G20|G7|OPEC|
OPEC+|IMF|World Bank|WHO|WTO|IAEA|OSCE|Council of Europe|African Union|ASEAN|
Arab League|SCO|CSTO|Eurasian Economic Union|CIS|Red Cross|UNESCO|UNICEF|
FIFA|IOC|Interpol|European Central Bank|Federal Reserve|European Commission|
European Parliament|State Duma|Federation Council|Kremlin|White House|
Pentagon|US Congress|Supreme Court|Gazprom|Rosneft|Rosatom|Roscosmos|NASA|
ESA|Arctic Council|International Criminal Court
"""

# Tags made when the pools above run out: "<country> <subject>".
TAG_SUFFIXES = ["economy", "politics", "elections", "energy", "trade", "security"]

FIRST_NAMES = """
Anna|Ivan|Maria|Dmitry|Elena|Sergei|Olga|Alexei|Natalia|Mikhail|Tatiana|
Andrei|Irina|Pavel|Svetlana|Nikolai|Yulia|Viktor|Ekaterina|Oleg|James|Sarah|
David|Emma|Thomas|Laura|Daniel|Claire|Michael|Rachel|Peter|Hannah|Paul|Sophie|
Mark|Alice|John|Lucy|Robert|Kate|Hans|Greta|Pierre|Camille|Marco|Giulia|Jose|
Carmen|Ahmed|Fatima|Omar|Leila|Chen|Mei|Hiroshi|Yuki|Min-jun|Ji-woo|Arjun|
Priya|Kwame|Amara|Tariq|Nadia|Lars|Ingrid|Piotr|Agnieszka|Jan|Eva|Mehmet|Ayse
"""

LAST_NAMES = """
Ivanov|Petrova|Smirnov|Volkova|Kuznetsov|Sokolova|Popov|Lebedeva|Kozlov|
Novikova|Morozov|Orlova|Zaitsev|Belova|Pavlov|Fedorova|Karimov|Aliyeva|
Carter|Walsh|Bennett|Hughes|Foster|Reed|Morgan|Bailey|Cooper|Howard|Ward|
Brooks|Price|Sanders|Gray|Hayes|Myers|Fischer|Weber|Schneider|Dubois|Laurent|
Moreau|Rossi|Ricci|Garcia|Fernandez|Lopez|Haddad|Nasser|Rahman|Khan|Wang|
Zhang|Liu|Tanaka|Sato|Kim|Park|Sharma|Patel|Mensah|Okafor|Diallo|Hansen|
Larsen|Nowak|Kowalski|Novak|Horvat|Yilmaz|Demir|Silva|Santos|Costa|Oliveira
"""

JOB_TITLES = [
    "Correspondent", "Senior correspondent", "Diplomatic correspondent",
    "Economics editor", "Political correspondent", "Bureau chief", "Staff writer",
    "Science correspondent", "Defence correspondent", "Sports reporter",
]  # fmt: skip

# Headlines: subject, verb (present tense, singular), object, optional tail.
HEADLINE_SUBJECTS = """
Government|Central bank|Parliament|Finance ministry|Foreign minister|President|
Prime minister|Opposition|Court|Prosecutors|Regulator|City council|Governor|
Election commission|Health ministry|Port authority|Airline|Railway operator|
Oil company|Gas producer|Steelmaker|Grain exporter|Carmaker|Space agency|
Scientists|Researchers|Farmers|Miners|Doctors|Teachers|Unions|Investors|
Lawmakers|Voters|Coalition|Navy|Army|Rescuers|Police|Museum|Orchestra|
National team|Club|League|Bank|Insurer|Startup|Shipyard|Refinery
"""

HEADLINE_VERBS = """
approves|rejects|proposes|backs|delays|expands|cuts|raises|extends|suspends|
resumes|signs|unveils|launches|opens|closes|reviews|defends|criticises|
questions|confirms|denies|plans|targets|announces|wins|loses|reaches|seeks|
eases|tightens|doubles|halves|completes|postpones|debates|blocks|restores
"""

HEADLINE_OBJECTS = """
budget|draft budget|budget deficit|tax reform|pension reform|grain exports|
oil output|gas supplies|interest rates|fuel prices|trade deal|ceasefire|
peace plan|sanctions package|housing programme|vaccination campaign|rail link|
bridge project|new terminal|spending plan|wage rise|election date|
coalition talks|border crossing|water tariffs|power plant|metro line|
satellite launch|research station|security pact|arms deal|aid convoy|
school reform|hospital upgrade|climate target|fishing quotas|mining licence|
port expansion|airport upgrade|cyber law|media law|visa rules|title race|
season opener|final|exhibition|festival|stimulus package|debt plan|bond sale
"""

HEADLINE_TAILS = """
after talks|amid protests|for next year|despite criticism|ahead of summit|
after vote|in first reading|as prices rise|after floods|for winter|
under pressure|in record time|after long delay|as talks stall|for a decade
"""

# Sentence parts: the text reads like wire copy, and its words come out
# Zipf-like (a few in every story, most in few), as real text's do.
ACTORS = """
the government|the central bank|the finance ministry|parliament|the opposition|
the prime minister|the president|the foreign ministry|the defence ministry|
regional authorities|the city council|the state oil company|union leaders|
the election commission|the health ministry|investors|analysts|farmers|
the court|prosecutors|police|the army|the European Union|the United Nations|
the International Monetary Fund|the World Bank|the airline|the port authority|
the railway operator|scientists|researchers|the space agency|the league|
the governor|the mayor|the regulator|the coalition|lawmakers|exporters|
the energy ministry|the agriculture ministry|the transport ministry|doctors|
the navy|the emergencies ministry|the statistics office|the audit chamber
"""

OBJECTS = """
the budget|the draft budget|the federal budget|the budget deficit|the regional budget|
budget spending|grain exports|oil output|gas supplies|the new tax code|
the pension reform|interest rates|the ceasefire|the trade agreement|
the gas pipeline|wheat prices|the housing programme|the vaccination campaign|
the rail link|fuel prices|the election|the sanctions|the peace plan|inflation|
the key rate|the harvest|coal shipments|the new bridge|the metro extension|
the power grid|water supplies|the school year|hospital funding|public debt|
the bond auction|foreign investment|the labour market|the minimum wage|
the currency|gold reserves|the space programme|the research budget|
fishing quotas|the border regime|the visa regime|road construction|
the defence budget|arms exports|the climate target|the heating season|
the tourist season|the new terminal|the airport|the shipyard|the refinery
"""

CHANGES = """
rose|fell|grew|declined|climbed|slipped|jumped|dropped|increased|decreased
"""

SAID = """
said|announced|confirmed|told reporters|said in a statement|warned|noted|
stressed|added|reported|said on its website|told a news conference
"""

WHEN = """
on Monday|on Tuesday|on Wednesday|on Thursday|on Friday|on Saturday|on Sunday|
earlier this week|last week|last month|this year|next year|by the end of the year|
in the coming weeks|in the spring|in the autumn|over the summer|during the winter|
in the first half of the year|in the third quarter|since January|after the holidays
"""

PLANS = """
to raise|to cut|to review|to extend|to expand|to suspend|to resume|to finance|
to approve|to reconsider|to speed up|to slow down|to simplify|to reform|to protect
"""

ROLES = """
a spokesman for the ministry|an economist at a Moscow bank|a local resident|
a senior official|an opposition lawmaker|a union leader|a researcher|
the mayor's office|a diplomat|an analyst|a farmer|a teacher|a doctor|
a shipping broker|a trader|a coach|a curator|a retired officer|an engineer
"""

SUBHEADS = """
What happens next|Background|Reaction|Numbers|The decision|Concerns|
What the critics say|How it works|Earlier|Outlook|In the regions|The cost|
Who gains|Timeline|Next steps|On the ground|The vote|The talks
"""

# Syllables of the companies, projects and ships stories mention: tens of
# thousands of names, each in a handful of stories, for searches that find few.
ONSETS = "b br c d dr f g gr k kr l m n p pr r s st t tr v z".split()
VOWELS = "a e i o u ai ei ou".split()
CODAS = "n r l s x k nt rd sk".split()
COMPANY_KINDS = """
an engineering firm|a shipping company|a mining group|a software maker|
a fertiliser producer|a regional airline|a grain trader|a construction company|
a drug maker|a power utility|a research institute|a logistics operator
"""


def lines(text):
    """The |-separated entries of a pool, in order, without blanks."""
    return [entry.strip() for entry in text.replace("\n", "|").split("|") if entry.strip()]
