package catalogue

// Limits of the catalogue's fields: lengths in characters, numbers
// inclusive. These constants are the one source of each limit. The
// contract (openapi.yaml) and the database (CHECK constraints of the
// migrations) repeat them, and tests compare every copy with these: in
// httpapi (TestContractLimitsMatchTheDomain) and in postgres
// (TestColumnLimitsMatchTheDomain). The web takes its form limits from the
// contract. See docs/architecture.md, "Limits".
const (
	MaxQueryLength = 100 // the search text q

	MaxCategoryName        = 100
	MaxCategoryDescription = 2000

	MaxSupplierName  = 200
	MaxCustomerName  = 70 // the Swiss QR-bill's limit
	MaxContactPerson = 200
	MaxEmail         = 254 // RFC 5321's limit of an address
	MaxPhone         = 30
	MaxSupplierNotes = 4000
	MaxPaymentTerms  = 365 // days; from 0

	MaxStreet      = 70 // the address limits are the QR-bill's
	MaxHouseNumber = 16
	MaxPostalCode  = 16
	MaxTown        = 35

	MaxLocationCode = 32
	MaxLocationName = 100

	MaxSKU             = 64
	MaxItemName        = 200
	MaxItemDescription = 4000
	MaxBrand           = 100
	MaxUnitName        = 30 // base_unit and package_unit
	MinPackageSize     = 2
	MaxPackageSize     = 1_000_000
	MinPalletSize      = 1
	MaxPalletSize      = 100_000
	MaxBeverageType    = 50
	MinVolumeML        = 1
	MaxVolumeML        = 1_000_000
	MaxABV             = 1000 // per mille: 100 %
	MaxSupplierSKU     = 64
	MaxLeadTimeDays    = 365 // from 0
)
