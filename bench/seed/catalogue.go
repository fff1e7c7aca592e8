package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The catalogue of a Swiss beverage wholesaler: what a Getränkehandel
// supplying restaurants stocks, with the names, sizes, packaging, deposits
// and VAT rates such items really have.

type kind int

const (
	water kind = iota
	soft
	energy
	juice
	beer
	beerFree
	redWine
	whiteWine
	roseWine
	sparkling
	spirits
	cider
	syrup
	snacks
)

type category struct {
	id          int64
	name        string
	description string
	kind        kind
	weight      int    // share of the items, per cent
	skuPrefix   string // first part of the SKU
	zone        int    // index into the storage zones where it is kept
}

var categories = []category{
	{name: "Mineralwasser", description: "Still und mit Kohlensäure, Glas und PET", kind: water, weight: 5, skuPrefix: "WAS", zone: 0},
	{name: "Süssgetränke", description: "Cola, Limonaden, Tonic", kind: soft, weight: 7, skuPrefix: "SOF", zone: 0},
	{name: "Eistee & Energy", kind: energy, weight: 4, skuPrefix: "ENE", zone: 0},
	{name: "Fruchtsäfte", description: "Säfte und Nektare", kind: juice, weight: 6, skuPrefix: "SAF", zone: 3},
	{name: "Bier", kind: beer, weight: 14, skuPrefix: "BIE", zone: 0},
	{name: "Bier alkoholfrei", kind: beerFree, weight: 2, skuPrefix: "BAF", zone: 0},
	{name: "Rotwein", kind: redWine, weight: 22, skuPrefix: "ROT", zone: 1},
	{name: "Weisswein", kind: whiteWine, weight: 14, skuPrefix: "WEI", zone: 1},
	{name: "Roséwein", kind: roseWine, weight: 4, skuPrefix: "ROS", zone: 1},
	{name: "Schaumwein", description: "Champagner, Prosecco, Crémant", kind: sparkling, weight: 5, skuPrefix: "SCH", zone: 1},
	{name: "Spirituosen", description: "Brände, Liköre, Gin, Whisky", kind: spirits, weight: 10, skuPrefix: "SPI", zone: 2},
	{name: "Cider & Most", kind: cider, weight: 2, skuPrefix: "CID", zone: 3},
	{name: "Sirup", kind: syrup, weight: 2, skuPrefix: "SIR", zone: 2},
	{name: "Snacks", description: "Chips, Nüsse, Gebäck zum Apéro", kind: snacks, weight: 3, skuPrefix: "SNA", zone: 2},
}

type supplier struct {
	id                                int64
	name, contact, email, phone       string
	street, houseNumber, postal, town string
	country                           string
	terms                             int
	kinds                             []kind
}

var suppliers = []supplier{
	{name: "Feldschlösschen Getränke AG", contact: "Sandra Meier", street: "Theophil-Roniger-Strasse", houseNumber: "1", postal: "4310", town: "Rheinfelden", kinds: []kind{beer, beerFree, water, soft}},
	{name: "Rivella AG", contact: "Marco Huber", street: "Neue Industriestrasse", houseNumber: "10", postal: "4852", town: "Rothrist", kinds: []kind{soft}},
	{name: "Coca-Cola HBC Schweiz AG", contact: "Nadia Keller", street: "Stationsstrasse", houseNumber: "33", postal: "8306", town: "Brüttisellen", kinds: []kind{soft, energy, water}},
	{name: "Valser Mineralquellen GmbH", contact: "Peter Casutt", street: "Dorfstrasse", houseNumber: "12", postal: "7132", town: "Vals", kinds: []kind{water}},
	{name: "Mineralquellen Adelboden AG", contact: "Ruth Allenbach", street: "Risetensträssli", houseNumber: "2", postal: "3715", town: "Adelboden", kinds: []kind{water, soft}},
	{name: "Ramseier Suisse AG", contact: "Thomas Wüest", street: "Bahnhofstrasse", houseNumber: "9", postal: "6210", town: "Sursee", kinds: []kind{juice, cider, soft}},
	{name: "Brauerei Locher AG", contact: "Karl Locher", street: "Brauereiplatz", houseNumber: "1", postal: "9050", town: "Appenzell", kinds: []kind{beer, beerFree}},
	{name: "Brauerei Schützengarten AG", contact: "Martina Frei", street: "St. Jakob-Strasse", houseNumber: "37", postal: "9004", town: "St. Gallen", kinds: []kind{beer, beerFree}},
	{name: "Calanda Bräu AG", contact: "Gian Caduff", street: "Kasernenstrasse", houseNumber: "36", postal: "7000", town: "Chur", kinds: []kind{beer}},
	{name: "Bier-Import Zürich GmbH", contact: "Luca Bernasconi", street: "Hohlstrasse", houseNumber: "216", postal: "8004", town: "Zürich", kinds: []kind{beer, cider}},
	{name: "Provins Valais", contact: "Anne Roduit", street: "Rue de l'Industrie", houseNumber: "22", postal: "1950", town: "Sion", kinds: []kind{whiteWine, redWine, roseWine}},
	{name: "Schuler St. Jakobskellerei AG", contact: "Beat Schuler", street: "Franzosenstrasse", houseNumber: "14", postal: "6423", town: "Seewen", kinds: []kind{redWine, whiteWine, sparkling}},
	{name: "Mövenpick Weinkeller AG", contact: "Claudia Rüegg", street: "Zugerstrasse", houseNumber: "1", postal: "6340", town: "Baar", kinds: []kind{redWine, whiteWine, roseWine, sparkling}},
	{name: "Bindella Weinbau-Weinhandel AG", contact: "Rudi Bindella", street: "Hardturmstrasse", houseNumber: "161", postal: "8005", town: "Zürich", kinds: []kind{redWine, whiteWine}},
	{name: "Weinkellerei Rahm AG", contact: "Eva Rahm", street: "Rheinstrasse", houseNumber: "8", postal: "8215", town: "Hallau", kinds: []kind{redWine, whiteWine, roseWine, juice}},
	{name: "Cave du Lac Vins SA", contact: "Jean-Luc Pittet", street: "Route de Lausanne", houseNumber: "40", postal: "1096", town: "Cully", kinds: []kind{whiteWine, redWine, sparkling}},
	{name: "Vinothek Ticino SA", contact: "Paola Rezzonico", street: "Via Cantonale", houseNumber: "5", postal: "6850", town: "Mendrisio", kinds: []kind{redWine, whiteWine}},
	{name: "Etter Söhne AG", contact: "Gabriel Etter", street: "Chamerstrasse", houseNumber: "98", postal: "6300", town: "Zug", kinds: []kind{spirits}},
	{name: "Dettling & Marmot AG", contact: "Urs Dettling", street: "Gersauerstrasse", houseNumber: "29", postal: "6440", town: "Brunnen", kinds: []kind{spirits, syrup}},
	{name: "Spirituosen Import Basel AG", contact: "Felix Sutter", street: "Dreispitzstrasse", houseNumber: "4", postal: "4053", town: "Basel", kinds: []kind{spirits, sparkling}},
	{name: "Zweifel Pomy-Chips AG", contact: "Simone Zweifel", street: "Industriestrasse", houseNumber: "5", postal: "8957", town: "Spreitenbach", kinds: []kind{snacks}},
	{name: "Apéro Service Schweiz GmbH", contact: "Daniel Brunner", street: "Werkstrasse", houseNumber: "18", postal: "8610", town: "Uster", kinds: []kind{snacks, syrup, energy}},
	{name: "Getränke Kaufmann AG", contact: "Monika Kaufmann", street: "Lagerstrasse", houseNumber: "45", postal: "8404", town: "Winterthur", kinds: []kind{water, soft, energy, juice, beer, cider, syrup}},
	{name: "Süssmost Genossenschaft Thurgau", contact: "Hans Möhl", street: "Obstgartenweg", houseNumber: "3", postal: "9320", town: "Arbon", kinds: []kind{cider, juice}},
}

type location struct {
	id       int64
	parentID int64 // 0: none
	code     string
	name     string
	kind     string
}

// locations returns the storage tree: two warehouses, six zones, 42 bins,
// fifty places in all. zones[i] lists the bins of zone i.
func locationTree() (locs []location, zones [][]int64) {
	add := func(parent int64, code, name, kind string) int64 {
		id := int64(len(locs) + 1)
		locs = append(locs, location{id: id, parentID: parent, code: code, name: name, kind: kind})
		return id
	}
	zh := add(0, "ZH", "Zentrallager Zürich-Altstetten", "warehouse")
	wi := add(0, "WI", "Aussenlager Winterthur", "warehouse")
	for _, z := range []struct {
		parent     int64
		code, name string
	}{
		{zh, "ZH-A", "Halle A Getränke"}, {zh, "ZH-B", "Halle B Wein"}, {zh, "ZH-C", "Halle C Spirituosen und Apéro"},
		{zh, "ZH-K", "Kühlraum"}, {wi, "WI-A", "Halle A Nachschub"}, {wi, "WI-B", "Halle B Saisonware"},
	} {
		zoneID := add(z.parent, z.code, z.name, "zone")
		var bins []int64
		for b := 1; b <= 7; b++ {
			code := fmt.Sprintf("%s-%02d", z.code, b)
			bins = append(bins, add(zoneID, code, "Regal "+code[3:], "bin"))
		}
		zones = append(zones, bins)
	}
	return locs, zones
}

type customer struct {
	id                          int64
	name, contact, email, phone string
	street, houseNumber         string
	postal, town                string
	terms                       int
}

var (
	customerKinds = []string{"Restaurant", "Hotel", "Gasthof", "Café", "Bar", "Pizzeria", "Landgasthof", "Bistro", "Vereinslokal", "Personalrestaurant", "Beiz", "Club"}
	customerNames = []string{"Sonne", "Löwen", "Bären", "Rössli", "Krone", "Hirschen", "Adler", "Ochsen", "Engel", "Linde", "Schiff", "Post", "Bahnhof", "Alpenblick", "Seeblick", "Tell", "Frohsinn", "Kreuz", "Sternen", "Falken", "Traube", "Schäfli", "Waldhaus", "Rebstock", "Hecht"}
	customerTowns = [][2]string{{"8001", "Zürich"}, {"8400", "Winterthur"}, {"5400", "Baden"}, {"5000", "Aarau"}, {"6003", "Luzern"}, {"6300", "Zug"}, {"9000", "St. Gallen"}, {"8200", "Schaffhausen"}, {"8640", "Rapperswil"}, {"8610", "Uster"}, {"8620", "Wetzikon"}, {"8953", "Dietikon"}, {"8180", "Bülach"}, {"8500", "Frauenfeld"}, {"9500", "Wil"}, {"4600", "Olten"}, {"4500", "Solothurn"}, {"3011", "Bern"}, {"4051", "Basel"}, {"7000", "Chur"}}
	streets       = []string{"Bahnhofstrasse", "Hauptstrasse", "Dorfstrasse", "Seestrasse", "Kirchgasse", "Marktgasse", "Poststrasse", "Schulstrasse", "Zürcherstrasse", "Industriestrasse"}
	firstNames    = []string{"Anna", "Beat", "Claudia", "Daniel", "Esther", "Fabian", "Gabriela", "Hans", "Irene", "Jürg", "Karin", "Lukas", "Monika", "Nicola", "Olivia", "Patrick", "Regula", "Stefan", "Theresa", "Urs"}
	lastNames     = []string{"Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Meyer", "Steiner", "Fischer", "Gerber", "Brunner", "Baumann", "Frei", "Zimmermann", "Moser", "Widmer", "Wyss", "Graf", "Roth"}
)

const customerCount = 400

func makeCustomers(r *rand.Rand) []customer {
	out := make([]customer, customerCount)
	for i := range out {
		town := customerTowns[r.IntN(len(customerTowns))]
		first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		name := fmt.Sprintf("%s %s %s", customerKinds[r.IntN(len(customerKinds))], customerNames[r.IntN(len(customerNames))], town[1])
		out[i] = customer{
			id: int64(i + 1), name: name, contact: first + " " + last,
			email:  fmt.Sprintf("%s.%s@kunde%d.example", asciiLower(first), asciiLower(last), i+1),
			phone:  fmt.Sprintf("+41 %02d %03d %02d %02d", 31+r.IntN(60), r.IntN(1000), r.IntN(100), r.IntN(100)),
			street: streets[r.IntN(len(streets))], houseNumber: fmt.Sprint(1 + r.IntN(120)),
			postal: town[0], town: town[1], terms: []int{10, 30, 30, 30, 60}[r.IntN(5)],
		}
	}
	return out
}

// asciiLower makes a name usable in an e-mail address.
func asciiLower(s string) string {
	return strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "é", "e", "è", "e").Replace(strings.ToLower(s))
}

// item is one row of items as the seeder writes it. Pointers are NULLs.
type item struct {
	id                       int64
	sku, name, description   string
	categoryID               int64
	brand                    string
	eanUnit, eanPackage      *string
	baseUnit                 string
	packageUnit              *string
	packageSize, palletSize  *int32
	priceUnit                int64
	pricePackage             *int64
	avgCost                  int64 // set by the movements
	vat                      int32
	depositUnit, depositPack int64
	returnable               bool
	beverageType             string
	container                *string
	volumeML, abv            *int32
	alcoholic                bool
	country                  *string
	minStock, reorderQty     int64
	supplierID               int64
	archivedAt               *time.Time
	createdAt                time.Time
	kind                     kind
	costMicros               int64 // the usual purchase cost of one base unit
	locations                []int64
}

// product is what a template picks for an item before packaging.
type product struct {
	brand, name, description, beverageType, country string
	volumeML                                        int
	container                                       string // "" for none
	abv                                             int    // per mille; -1 for none
	priceRappen                                     int64
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

var (
	waterBrands = []struct{ brand, country string }{
		{"Valser", "CH"}, {"Henniez", "CH"}, {"Aproz", "CH"}, {"Passugger", "CH"}, {"Rhäzünser", "CH"}, {"Adelbodner", "CH"},
		{"Knutwiler", "CH"}, {"Elmer", "CH"}, {"Swiss Alpina", "CH"}, {"Evian", "FR"}, {"San Pellegrino", "IT"}, {"Vittel", "FR"}, {"Acqua Panna", "IT"},
	}
	waterLines = []string{"Classic", "Still", "Prickelnd", "Leicht", "Silence", "Naturelle", "Citron", "Limette", "Grüne Minze"}
	softLines  = []struct {
		brand, country string
		lines          []string
	}{
		{"Rivella", "CH", []string{"Rot", "Blau", "Grün", "Refresh", "Pfirsich", "Holunder"}},
		{"Coca-Cola", "CH", []string{"Classic", "Zero", "Light", "Cherry", "Zero Koffeinfrei"}},
		{"Fanta", "CH", []string{"Orange", "Lemon", "Mango", "Exotic"}},
		{"Sprite", "CH", []string{"Original", "Zero"}},
		{"Schweppes", "CH", []string{"Tonic Water", "Bitter Lemon", "Ginger Ale", "Russchian"}},
		{"Sinalco", "CH", []string{"Original", "Zero", "Cola"}},
		{"Elmer", "CH", []string{"Citro", "Orange", "Himbeer"}},
		{"Vivi Kola", "CH", []string{"Original", "Zero", "Eistee"}},
		{"Gazosa Fontana", "CH", []string{"Limone", "Mandarino", "Lampone"}},
		{"Appenzeller", "CH", []string{"Flauder", "Rosé Flauder"}},
		{"Fever-Tree", "GB", []string{"Premium Indian Tonic", "Mediterranean Tonic", "Ginger Beer"}},
		{"Swiss Mountain", "CH", []string{"Cola", "Kräuterlimonade", "Holunderblüte"}},
	}
	energyLines = []struct {
		brand, country string
		lines          []string
	}{
		{"Red Bull", "AT", []string{"Energy Drink", "Sugarfree", "Red Edition", "Blue Edition"}},
		{"Monster", "US", []string{"Energy", "Ultra White", "Mango Loco"}},
		{"Lipton", "CH", []string{"Ice Tea Lemon", "Ice Tea Peach", "Ice Tea Green"}},
		{"Nestea", "CH", []string{"Lemon", "Peach", "Hibiskus"}},
		{"Migros Ice Tea", "CH", []string{"Lemon", "Peach"}},
		{"Mate Flora", "DE", []string{"Mate", "Power"}},
	}
	juiceLines = []struct {
		brand, country string
		lines          []string
	}{
		{"Ramseier", "CH", []string{"Apfelsaft naturtrüb", "Orangensaft", "Multivitamin", "Süessmost", "Birnensaft"}},
		{"Granini", "DE", []string{"Orange", "Multivitamin", "Ananas", "Pfirsich"}},
		{"Michel", "CH", []string{"Orange", "Grapefruit", "Tomate", "Bodyguard"}},
		{"Biotta", "CH", []string{"Karotte", "Randen", "Tomate", "Gemüse"}},
		{"Hohes C", "DE", []string{"Orange", "Apfel", "Multivitamin"}},
		{"Möhl", "CH", []string{"Apfelsaft klar", "Shorley"}},
	}
	breweries = []struct{ name, country string }{
		{"Feldschlösschen", "CH"}, {"Appenzeller", "CH"}, {"Calanda", "CH"}, {"Eichhof", "CH"}, {"Schützengarten", "CH"}, {"Chopfab", "CH"},
		{"Ueli", "CH"}, {"Cardinal", "CH"}, {"Boxer", "CH"}, {"Turbinenbräu", "CH"}, {"Felsenau", "CH"}, {"Baarer", "CH"}, {"Rugenbräu", "CH"},
		{"Falken", "CH"}, {"Müller Bräu", "CH"}, {"Adler Bräu", "CH"}, {"Luzerner", "CH"}, {"BFM", "CH"}, {"Doppelleu", "CH"}, {"Erusbacher", "CH"},
		{"Heineken", "NL"}, {"Erdinger", "DE"}, {"Paulaner", "DE"}, {"Warsteiner", "DE"}, {"Corona", "MX"}, {"Guinness", "IE"}, {"Leffe", "BE"},
		{"Stiegl", "AT"}, {"Brooklyn", "US"}, {"Peroni", "IT"},
	}
	beerStyles = []struct {
		name string
		abv  int
	}{
		{"Lager", 48}, {"Original", 48}, {"Hell", 50}, {"Spezial", 52}, {"Amber", 53}, {"Weizen", 54}, {"Dunkel", 52}, {"IPA", 62},
		{"Pale Ale", 55}, {"Stout", 50}, {"Bockbier", 65}, {"Zwickel", 51}, {"Pils", 49}, {"Naturtrüb", 52}, {"Saison", 60}, {"Quöllfrisch", 52},
		{"Vollmond", 52}, {"Hopfenperle", 52}, {"Dunkle Perle", 57}, {"Panix Perle", 48},
	}
	wineHouses = []string{"Domaine", "Château", "Cave", "Weingut", "Cantina", "Tenuta", "Bodega", "Clos", "Mas", "Schlossgut", "Weinbau", "Maison"}
	winePlaces = []struct{ name, country string }{
		{"de la Côte", "CH"}, {"du Rhône", "CH"}, {"Lavaux", "CH"}, {"Leytron", "CH"}, {"Chamoson", "CH"}, {"Salgesch", "CH"}, {"Fläsch", "CH"},
		{"Malans", "CH"}, {"Jenins", "CH"}, {"Maienfeld", "CH"}, {"Sierre", "CH"}, {"Yvorne", "CH"}, {"Epesses", "CH"}, {"Twann", "CH"},
		{"Hallau", "CH"}, {"Stäfa", "CH"}, {"Mendrisio", "CH"}, {"Gudo", "CH"}, {"Vully", "CH"}, {"Auvernier", "CH"},
		{"Montepulciano", "IT"}, {"Barolo", "IT"}, {"Montalcino", "IT"}, {"Valpolicella", "IT"}, {"Bolgheri", "IT"}, {"Langhe", "IT"},
		{"Rioja", "ES"}, {"Ribera del Duero", "ES"}, {"Priorat", "ES"}, {"Toro", "ES"},
		{"Bordeaux", "FR"}, {"Pomerol", "FR"}, {"Saint-Émilion", "FR"}, {"Chablis", "FR"}, {"Sancerre", "FR"}, {"Mâcon", "FR"},
		{"Douro", "PT"}, {"Mosel", "DE"}, {"Wachau", "AT"}, {"Mendoza", "AR"}, {"Stellenbosch", "ZA"}, {"Barossa", "AU"}, {"Marlborough", "NZ"},
	}
	redGrapes   = []string{"Pinot Noir", "Merlot", "Gamay", "Syrah", "Cabernet Sauvignon", "Humagne Rouge", "Cornalin", "Nebbiolo", "Sangiovese", "Tempranillo", "Primitivo", "Malbec", "Blauburgunder", "Diolinoir", "Garanoir", "Dôle", "Zinfandel", "Assemblage Rouge"}
	whiteGrapes = []string{"Chasselas", "Fendant", "Petite Arvine", "Müller-Thurgau", "Riesling-Silvaner", "Sauvignon Blanc", "Chardonnay", "Pinot Gris", "Heida", "Amigne", "Johannisberg", "Grüner Veltliner", "Riesling", "Viognier", "Räuschling"}
	roseWines   = []string{"Oeil de Perdrix", "Rosé de Gamay", "Federweisser", "Dôle Blanche", "Rosé de Pinot Noir", "Schillerwein"}
	wineExtras  = []string{"", "", "", "", "Barrique", "Reserva", "Grand Cru", "Vieilles Vignes", "Bio", "Sélection", "Classico"}
	wineNotes   = []string{"Fruchtig, mit Noten von Kirsche und Brombeere.", "Frisch und mineralisch, ideal zum Apéro.", "Kräftig, lange im Holz gereift.", "Elegant, feine Tannine.", "Leicht und süffig, passt zu Fisch.", ""}
	sparkHouses = []struct{ name, country string }{
		{"Mauler", "CH"}, {"Moët & Chandon", "FR"}, {"Veuve Clicquot", "FR"}, {"Ruinart", "FR"}, {"Bollinger", "FR"}, {"Zonin", "IT"},
		{"Mionetto", "IT"}, {"Freixenet", "ES"}, {"Codorníu", "ES"}, {"Cave de Genève", "CH"}, {"Bouvet", "FR"}, {"Ca' del Bosco", "IT"},
	}
	sparkStyles  = []string{"Brut", "Extra Dry", "Demi-Sec", "Rosé Brut", "Prosecco DOC", "Blanc de Blancs", "Cordon Or", "Crémant", "Cava Brut", "Franciacorta"}
	distilleries = []struct{ name, country string }{
		{"Etter", "CH"}, {"Dettling", "CH"}, {"Morand", "CH"}, {"Humbel", "CH"}, {"Lateltin", "CH"}, {"Studer", "CH"}, {"Zuger", "CH"},
		{"Langatun", "CH"}, {"Säntis Malt", "CH"}, {"Appenzeller", "CH"}, {"Bacardi", "CU"}, {"Smirnoff", "GB"}, {"Hendrick's", "GB"},
		{"Bombay", "GB"}, {"Jameson", "IE"}, {"Johnnie Walker", "GB"}, {"Havana Club", "CU"}, {"Nonino", "IT"}, {"Hennessy", "FR"},
	}
	spiritTypes = []struct {
		name string
		abv  int
	}{
		{"Kirsch", 400}, {"Williams", 430}, {"Pflümli", 400}, {"Zwetschgenwasser", 420}, {"Grappa", 400}, {"Gin", 410}, {"Vodka", 375},
		{"Single Malt Whisky", 460}, {"Blended Whisky", 400}, {"Rum", 375}, {"Alpenbitter", 290}, {"Absinthe", 530}, {"Träsch", 400},
		{"Vieille Prune", 410}, {"Cognac VSOP", 400}, {"Kräuterlikör", 300}, {"Nusslikör", 250},
	}
	ciderLines = []struct {
		brand, line string
		abv         int
	}{
		{"Möhl", "Saft vom Fass", 45}, {"Möhl", "Swizly Cider", 50}, {"Ramseier", "Suure Moscht", 45}, {"Kopparberg", "Mixed Fruit", 40},
		{"Strongbow", "Gold Apple", 45}, {"Sidro", "Mela", 50}, {"Möhl", "Shorley", -1},
	}
	syrupBrands  = []string{"Hero", "Teisseire", "Monin", "Morga", "Sirocco"}
	syrupFlavors = []string{"Himbeer", "Holunderblüten", "Grenadine", "Pfefferminz", "Zitrone", "Orange", "Waldmeister", "Cassis"}
	snackLines   = []struct{ brand, line string }{
		{"Zweifel", "Chips Paprika"}, {"Zweifel", "Chips Nature"}, {"Zweifel", "Chips Provençale"}, {"Zweifel", "Chips Salt & Vinegar"},
		{"Zweifel", "Vaya Bean Salt"}, {"Kambly", "Apéro Mix"}, {"Kambly", "Bretzeli"}, {"Wernli", "Apéro Stängeli"},
		{"Ültje", "Erdnüsse gesalzen"}, {"Ültje", "Cashew geröstet"}, {"Bretzeln", "Salzbretzel"}, {"Pringles", "Original"},
	}
	snackWeights = []int{90, 175, 280}
)

// volumes by container, as they are sold.
var (
	waterSizes = []struct {
		ml        int
		container string
	}{{500, "pet"}, {750, "pet"}, {1000, "pet"}, {1500, "pet"}, {330, "glass"}, {500, "glass"}, {1000, "glass"}}
	softSizes = []struct {
		ml        int
		container string
	}{{330, "can"}, {500, "pet"}, {1500, "pet"}, {330, "glass"}, {200, "glass"}, {1000, "glass"}}
	beerSizes = []struct {
		ml        int
		container string
	}{{330, "glass"}, {330, "glass"}, {500, "glass"}, {330, "can"}, {500, "can"}, {20000, "keg"}, {30000, "keg"}}
	wineSizes = []int{750, 750, 750, 750, 750, 750, 375, 375, 1500, 500}
)

// sizeLabel writes a volume as labels do: 33 cl, 1.5 l, 20 l.
func sizeLabel(ml int) string {
	switch {
	case ml >= 1000 && ml%1000 == 0:
		return fmt.Sprintf("%d l", ml/1000)
	case ml > 1000:
		return fmt.Sprintf("%.1f l", float64(ml)/1000)
	case ml%10 == 0:
		return fmt.Sprintf("%d cl", ml/10)
	default:
		return fmt.Sprintf("%.1f cl", float64(ml)/10)
	}
}

var containerLabel = map[string]string{"glass": "Glas", "pet": "PET", "can": "Dose", "keg": "Fass", "carton": "Karton"}

func makeProduct(r *rand.Rand, k kind) product {
	var p product
	p.abv = -1
	switch k {
	case water:
		b := pick(r, waterBrands)
		s := pick(r, waterSizes)
		p = product{brand: b.brand, country: b.country, beverageType: "Mineralwasser", volumeML: s.ml, container: s.container, abv: -1,
			priceRappen: int64(60 + s.ml/8 + r.IntN(60))}
		p.name = fmt.Sprintf("%s %s %s %s", b.brand, pick(r, waterLines), sizeLabel(s.ml), containerLabel[s.container])
	case soft, energy:
		lines := softLines
		p.beverageType = "Süssgetränk"
		if k == energy {
			lines, p.beverageType = energyLines, "Eistee/Energy"
		}
		b := pick(r, lines)
		s := pick(r, softSizes)
		if k == energy && s.ml > 500 {
			s = softSizes[0]
		}
		p.brand, p.country, p.volumeML, p.container = b.brand, b.country, s.ml, s.container
		p.priceRappen = int64(120 + s.ml/6 + r.IntN(120))
		p.name = fmt.Sprintf("%s %s %s %s", b.brand, pick(r, b.lines), sizeLabel(s.ml), containerLabel[s.container])
	case juice:
		b := pick(r, juiceLines)
		ml := pick(r, []int{200, 330, 1000, 1000, 5000})
		container := "glass"
		if ml >= 5000 {
			container = "carton"
		}
		p = product{brand: b.brand, country: b.country, beverageType: "Fruchtsaft", volumeML: ml, container: container, abv: -1,
			priceRappen: int64(150 + ml/4 + r.IntN(150))}
		p.name = fmt.Sprintf("%s %s %s", b.brand, pick(r, b.lines), sizeLabel(ml))
		if container == "carton" {
			p.name += " Bag-in-Box"
		}
	case beer, beerFree:
		b := pick(r, breweries)
		s := pick(r, beerSizes)
		style := pick(r, beerStyles)
		p = product{brand: b.name, country: b.country, beverageType: "Bier", volumeML: s.ml, container: s.container, abv: style.abv + r.IntN(5) - 2}
		name := style.name
		if k == beerFree {
			name, p.abv, p.beverageType = style.name+" Alkoholfrei", r.IntN(6), "Bier alkoholfrei"
		}
		p.priceRappen = int64(110 + s.ml/3 + r.IntN(150))
		if s.container == "keg" {
			p.priceRappen = int64(s.ml/4 + r.IntN(3000))
		}
		p.name = fmt.Sprintf("%s %s %s %s", b.name, name, sizeLabel(s.ml), containerLabel[s.container])
	case redWine, whiteWine, roseWine:
		place := pick(r, winePlaces)
		house := pick(r, wineHouses)
		var grape string
		switch k {
		case redWine:
			grape, p.beverageType = pick(r, redGrapes), "Rotwein"
		case whiteWine:
			grape, p.beverageType = pick(r, whiteGrapes), "Weisswein"
		default:
			grape, p.beverageType = pick(r, roseWines), "Roséwein"
		}
		vintage := 2015 + r.IntN(10)
		ml := pick(r, wineSizes)
		extra := pick(r, wineExtras)
		p.brand = house + " " + place.name
		p.country, p.volumeML, p.container, p.abv = place.country, ml, "glass", 115+r.IntN(31)
		p.priceRappen = int64(900+r.IntN(5600)) * int64(ml) / 750
		p.name = strings.Join(strings.Fields(fmt.Sprintf("%s %s %s %d %s", p.brand, grape, extra, vintage, sizeLabel(ml))), " ")
		p.description = pick(r, wineNotes)
	case sparkling:
		h := pick(r, sparkHouses)
		ml := pick(r, []int{750, 750, 750, 375, 1500, 200})
		p = product{brand: h.name, country: h.country, beverageType: "Schaumwein", volumeML: ml, container: "glass", abv: 110 + r.IntN(16),
			priceRappen: int64(1100+r.IntN(8000)) * int64(ml) / 750}
		p.name = fmt.Sprintf("%s %s %s", h.name, pick(r, sparkStyles), sizeLabel(ml))
	case spirits:
		d := pick(r, distilleries)
		t := pick(r, spiritTypes)
		ml := pick(r, []int{700, 700, 700, 500, 350, 1000, 40})
		p = product{brand: d.name, country: d.country, beverageType: "Spirituose", volumeML: ml, container: "glass", abv: t.abv,
			priceRappen: int64(2500+r.IntN(9000)) * int64(ml) / 700}
		age := ""
		if strings.Contains(t.name, "Whisky") || strings.Contains(t.name, "Rum") {
			age = pick(r, []string{"", "", "10 Jahre", "12 Jahre", "18 Jahre"})
		}
		p.name = strings.Join(strings.Fields(fmt.Sprintf("%s %s %s %s", d.name, t.name, age, sizeLabel(ml))), " ")
	case cider:
		c := pick(r, ciderLines)
		s := pick(r, []struct {
			ml        int
			container string
		}{{330, "glass"}, {500, "glass"}, {330, "can"}, {1000, "pet"}})
		p = product{brand: c.brand, country: "CH", beverageType: "Cider", volumeML: s.ml, container: s.container, abv: c.abv,
			priceRappen: int64(180 + s.ml/4 + r.IntN(150))}
		p.name = fmt.Sprintf("%s %s %s %s", c.brand, c.line, sizeLabel(s.ml), containerLabel[s.container])
	case syrup:
		brand := pick(r, syrupBrands)
		ml := pick(r, []int{500, 750, 1000})
		p = product{brand: brand, country: "CH", beverageType: "Sirup", volumeML: ml, container: pick(r, []string{"glass", "pet"}), abv: -1,
			priceRappen: int64(350 + ml/2 + r.IntN(300))}
		p.name = fmt.Sprintf("%s Sirup %s %s", brand, pick(r, syrupFlavors), sizeLabel(ml))
	case snacks:
		s := pick(r, snackLines)
		g := pick(r, snackWeights)
		p = product{brand: s.brand, country: "CH", abv: -1, priceRappen: int64(150 + g*2 + r.IntN(150))}
		p.name = fmt.Sprintf("%s %s %d g", s.brand, s.line, g)
	}
	return p
}

func ptr[T any](v T) *T { return &v }

// makeItem builds item id of category c, stocked in bins.
func makeItem(r *rand.Rand, id int64, c category, supplierIDs []int64, zones [][]int64, codes *gtins, now time.Time) item {
	p := makeProduct(r, c.kind)
	it := item{
		id: id, sku: fmt.Sprintf("%s-%06d", c.skuPrefix, id), name: p.name, description: p.description, categoryID: c.id,
		brand: p.brand, baseUnit: "Flasche", priceUnit: p.priceRappen, beverageType: p.beverageType, kind: c.kind,
		supplierID: pick(r, supplierIDs),
	}
	if p.country != "" {
		it.country = ptr(p.country)
	}
	if p.container != "" {
		it.container = ptr(p.container)
		it.volumeML = ptr(int32(p.volumeML))
	}
	if p.abv >= 0 {
		it.abv = ptr(int32(p.abv))
		it.alcoholic = p.abv > 5 // Swiss law: above 0.5 % by volume
	}
	// Reduced VAT for food and non-alcoholic drinks, standard for alcohol.
	it.vat = 260
	if it.alcoholic {
		it.vat = 810
	}
	var pkgUnit string
	var pkgSize, pallet int
	switch p.container {
	case "glass":
		switch {
		case c.kind == water || c.kind == beer || c.kind == beerFree || c.kind == soft || c.kind == cider:
			pkgUnit, pkgSize = "Harass", map[bool]int{true: 24, false: 20}[p.volumeML <= 330]
			if p.volumeML >= 1000 {
				pkgSize = 12
			}
			pallet = 40 + 5*r.IntN(5)
			it.returnable, it.depositUnit, it.depositPack = true, 30, 1000
			if p.volumeML >= 1000 {
				it.depositUnit = 50
			}
		case p.volumeML >= 1500 || p.volumeML <= 50:
			// Magnums and miniatures are sold singly.
		default:
			pkgUnit, pkgSize, pallet = "Karton", 6, 80+10*r.IntN(5)
			if p.volumeML <= 375 {
				pkgSize = 12
			}
		}
	case "can":
		it.baseUnit, pkgUnit, pkgSize, pallet = "Dose", "Tray", 24, 90+10*r.IntN(4)
	case "pet":
		pkgUnit, pkgSize, pallet = "Pack", 6, 60+12*r.IntN(4)
		if p.volumeML <= 500 {
			pkgUnit, pkgSize = "Tray", 24
		}
	case "keg":
		it.baseUnit, it.returnable, it.depositUnit = "Fass", true, 3000
	case "carton":
		it.baseUnit = "Box" // bag-in-box, sold singly
	case "":
		it.baseUnit, pkgUnit, pkgSize, pallet = "Beutel", "Karton", 12, 60
		if strings.HasSuffix(it.name, " 90 g") {
			pkgSize = 20
		}
	}
	if pkgSize > 0 {
		it.packageUnit, it.packageSize = ptr(pkgUnit), ptr(int32(pkgSize))
		if pallet > 0 {
			it.palletSize = ptr(int32(pallet))
		}
		// A crate or carton costs a little less than its bottles singly.
		it.pricePackage = ptr(p.priceRappen * int64(pkgSize) * 95 / 100)
		it.minStock = int64(pkgSize * (1 + r.IntN(5)))
		it.reorderQty = int64(pkgSize * (5 + r.IntN(16)))
	} else {
		it.depositPack = 0
		it.minStock = int64(2 + r.IntN(20))
		it.reorderQty = int64(6 + r.IntN(55))
	}
	unit, pack := codes.issue(it.brand)
	if r.IntN(10) < 9 {
		it.eanUnit = &unit
	}
	if pkgSize > 0 && r.IntN(10) < 6 {
		it.eanPackage = &pack
	}
	// Purchase at 55 to 70 % of the sales price; costs are micros per base unit.
	it.costMicros = p.priceRappen * 10_000 * int64(55+r.IntN(16)) / 100
	it.createdAt = now.Add(-time.Duration(r.Int64N(int64(3 * 365 * 24 * time.Hour))))
	bins := zones[c.zone]
	it.locations = []int64{pick(r, bins)}
	if r.IntN(4) == 0 {
		// Overflow stock in the second warehouse.
		it.locations = append(it.locations, pick(r, zones[4+r.IntN(2)]))
	}
	return it
}

// SearchTerms are what people type into the item search of this
// catalogue: brands and wines, two with the typos the search forgives,
// and a scanned unit GTIN of an item in db.
func SearchTerms(ctx context.Context, db interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) ([]string, error) {
	var gtin string
	// The 4242nd such item at full size; a small seed (a quick run) takes
	// one from its middle.
	err := db.QueryRow(ctx, `SELECT ean_unit FROM items WHERE ean_unit IS NOT NULL AND archived_at IS NULL ORDER BY id LIMIT 1
		OFFSET LEAST(4241, (SELECT count(*) FROM items WHERE ean_unit IS NOT NULL AND archived_at IS NULL) / 2)`).Scan(&gtin)
	if err != nil {
		return nil, fmt.Errorf("a GTIN to search for: %w", err)
	}
	return []string{"rivela", "Feldschlösschen Original", "pinot noir 2019", "apenzeller", "Chasselas Lavaux",
		"sauvignon blanc marlborough", gtin}, nil
}
