-- The catalogue: categories, suppliers, customers, storage locations, items
-- and which supplier sells which item at what price.
--
-- As everywhere: `version` is the ETag, bumped by the store on each update;
-- updated_at is kept by touch_updated_at(); unique indexes are named
-- <table>_<field>_key so the api can name the field that clashed. A record
-- others refer to is archived (archived_at), never deleted: foreign keys are
-- ON DELETE RESTRICT. The CHECK constraints repeat the domain's validation so
-- that no writer, however buggy, can store what the rules forbid. Address
-- limits follow the Swiss QR-bill (structured address: street 70, house
-- number 16, postal code 16, town 35 characters).

CREATE TABLE categories (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text        NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    archived_at timestamptz,
    version     integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX categories_name_key ON categories (lower(name));
CREATE INDEX categories_search_trgm ON categories USING gin (lower(name) gin_trgm_ops) WITH (fastupdate = off);
CREATE TRIGGER categories_touch BEFORE UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE suppliers (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    contact_person     text        NOT NULL DEFAULT '' CHECK (length(contact_person) <= 200),
    email              text        NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    phone              text        NOT NULL DEFAULT '' CHECK (length(phone) <= 30),
    street             text        NOT NULL DEFAULT '' CHECK (length(street) <= 70),
    house_number       text        NOT NULL DEFAULT '' CHECK (length(house_number) <= 16),
    postal_code        text        NOT NULL DEFAULT '' CHECK (length(postal_code) <= 16),
    town               text        NOT NULL DEFAULT '' CHECK (length(town) <= 35),
    country            text        NOT NULL DEFAULT 'CH' CHECK (country ~ '^[A-Z]{2}$'),
    payment_terms_days integer     NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
    notes              text        NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    archived_at        timestamptz,
    version            integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppliers_name_idx ON suppliers (lower(name), id);
CREATE INDEX suppliers_search_trgm ON suppliers
    USING gin (lower(name || ' ' || contact_person || ' ' || email || ' ' || town) gin_trgm_ops) WITH (fastupdate = off);
CREATE TRIGGER suppliers_touch BEFORE UPDATE ON suppliers FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Customer numbers come from a sequence: a number once handed out (even by
-- an insert that later failed, or to a customer since deleted) never comes
-- back, so an old invoice's customer number can never name someone else.
CREATE SEQUENCE customers_number_seq AS bigint START WITH 1000 MINVALUE 1000 NO CYCLE;

CREATE TABLE customers (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number                bigint      NOT NULL DEFAULT nextval('customers_number_seq') CHECK (number >= 1000),
    -- 70: the longest name a QR-bill accepts for the debtor.
    name                  text        NOT NULL CHECK (length(name) BETWEEN 1 AND 70),
    contact_person        text        NOT NULL DEFAULT '' CHECK (length(contact_person) <= 200),
    email                 text        NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    phone                 text        NOT NULL DEFAULT '' CHECK (length(phone) <= 30),
    billing_street        text        NOT NULL DEFAULT '' CHECK (length(billing_street) <= 70),
    billing_house_number  text        NOT NULL DEFAULT '' CHECK (length(billing_house_number) <= 16),
    billing_postal_code   text        NOT NULL CHECK (length(billing_postal_code) BETWEEN 1 AND 16),
    billing_town          text        NOT NULL CHECK (length(billing_town) BETWEEN 1 AND 35),
    billing_country       text        NOT NULL DEFAULT 'CH' CHECK (billing_country ~ '^[A-Z]{2}$'),
    delivery_street       text        CHECK (length(delivery_street) <= 70),
    delivery_house_number text        CHECK (length(delivery_house_number) <= 16),
    delivery_postal_code  text        CHECK (length(delivery_postal_code) BETWEEN 1 AND 16),
    delivery_town         text        CHECK (length(delivery_town) BETWEEN 1 AND 35),
    delivery_country      text        CHECK (delivery_country ~ '^[A-Z]{2}$'),
    payment_terms_days    integer     NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
    -- Minor units; NULL means no limit.
    credit_limit          bigint      CHECK (credit_limit >= 0),
    currency              text        NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR')),
    archived_at           timestamptz,
    version               integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    -- The delivery address is there as a whole or not at all.
    CONSTRAINT customers_delivery_address_check CHECK (
        num_nulls(delivery_street, delivery_house_number, delivery_postal_code, delivery_town, delivery_country) IN (0, 5))
);
ALTER SEQUENCE customers_number_seq OWNED BY customers.number;
CREATE UNIQUE INDEX customers_number_key ON customers (number);
CREATE INDEX customers_name_idx ON customers (lower(name), id);
CREATE INDEX customers_search_trgm ON customers
    USING gin (lower(name || ' ' || contact_person || ' ' || email || ' ' || billing_town) gin_trgm_ops) WITH (fastupdate = off);
CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The number is the customer's identity on paper; no writer may change it.
CREATE FUNCTION customers_number_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.number <> OLD.number THEN
        RAISE EXCEPTION 'customer numbers cannot be changed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER customers_number_fixed BEFORE UPDATE OF number ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_number_fixed();

-- Storage locations form a tree: warehouses at the top, zones inside, bins
-- (which hold nothing but stock) at the leaves. The store refuses cycles
-- with a recursive query inside the writing transaction.
CREATE TABLE locations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   bigint      REFERENCES locations ON DELETE RESTRICT,
    code        text        NOT NULL CHECK (length(code) BETWEEN 1 AND 32 AND code !~ '\s'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind        text        NOT NULL CHECK (kind IN ('warehouse', 'zone', 'bin')),
    archived_at timestamptz,
    version     integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT locations_parent_check CHECK (parent_id <> id),
    CONSTRAINT locations_warehouse_check CHECK (kind <> 'warehouse' OR parent_id IS NULL)
);
CREATE UNIQUE INDEX locations_code_key ON locations (lower(code));
CREATE INDEX locations_parent_idx ON locations (parent_id, lower(code));
CREATE INDEX locations_search_trgm ON locations USING gin (lower(code || ' ' || name) gin_trgm_ops) WITH (fastupdate = off);
CREATE TRIGGER locations_touch BEFORE UPDATE ON locations FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE items (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku                   text        NOT NULL CHECK (length(sku) BETWEEN 1 AND 64 AND sku !~ '\s'),
    name                  text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description           text        NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    category_id           bigint      REFERENCES categories ON DELETE RESTRICT,
    brand                 text        NOT NULL DEFAULT '' CHECK (length(brand) <= 100),
    -- GTIN-8/12/13/14 as entered; the check digit is verified by the domain.
    ean_unit              text        CHECK (ean_unit ~ '^([0-9]{8}|[0-9]{12,14})$'),
    ean_package           text        CHECK (ean_package ~ '^([0-9]{8}|[0-9]{12,14})$'),
    -- Stock is counted in base units; a package holds package_size of them
    -- and a pallet pallet_size packages.
    base_unit             text        NOT NULL CHECK (length(base_unit) BETWEEN 1 AND 30),
    package_unit          text        CHECK (length(package_unit) BETWEEN 1 AND 30),
    package_size          integer     CHECK (package_size BETWEEN 2 AND 1000000),
    pallet_size           integer     CHECK (pallet_size BETWEEN 1 AND 100000),
    -- Money in minor units of currency.
    sales_price_unit      bigint      NOT NULL DEFAULT 0 CHECK (sales_price_unit >= 0),
    sales_price_package   bigint      CHECK (sales_price_package >= 0),
    -- Moving-average cost per base unit in millionths of the currency; only
    -- the stock ledger writes it.
    avg_unit_cost_micros  bigint      NOT NULL DEFAULT 0 CHECK (avg_unit_cost_micros >= 0),
    currency              text        NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR')),
    -- Swiss VAT in basis points: standard 8.1 %, reduced 2.6 %, accommodation 3.8 %, none.
    vat_rate_bp           integer     NOT NULL DEFAULT 810 CHECK (vat_rate_bp IN (810, 260, 380, 0)),
    deposit_unit          bigint      NOT NULL DEFAULT 0 CHECK (deposit_unit >= 0),
    deposit_package       bigint      NOT NULL DEFAULT 0 CHECK (deposit_package >= 0),
    returnable            boolean     NOT NULL DEFAULT false,
    beverage_type         text        NOT NULL DEFAULT '' CHECK (length(beverage_type) <= 50),
    container             text        CHECK (container IN ('glass', 'pet', 'can', 'keg', 'carton', 'other')),
    volume_ml             integer     CHECK (volume_ml BETWEEN 1 AND 1000000),
    -- Alcohol by volume in per mille: 48 is 4.8 %.
    abv                   integer     CHECK (abv BETWEEN 0 AND 1000),
    alcoholic             boolean     NOT NULL DEFAULT false,
    country_of_origin     text        CHECK (country_of_origin ~ '^[A-Z]{2}$'),
    min_stock             bigint      NOT NULL DEFAULT 0 CHECK (min_stock >= 0),
    reorder_qty           bigint      NOT NULL DEFAULT 0 CHECK (reorder_qty >= 0),
    preferred_supplier_id bigint      REFERENCES suppliers ON DELETE RESTRICT,
    archived_at           timestamptz,
    version               integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT items_package_check CHECK ((package_unit IS NULL) = (package_size IS NULL)),
    CONSTRAINT items_package_extras_check CHECK (package_size IS NOT NULL OR (
        pallet_size IS NULL AND sales_price_package IS NULL AND ean_package IS NULL AND deposit_package = 0)),
    CONSTRAINT items_ean_check CHECK (ean_unit <> ean_package),
    -- Swiss law: above 0.5 % by volume a drink is alcoholic.
    CONSTRAINT items_alcoholic_check CHECK (abv IS NULL OR abv <= 5 OR alcoholic)
);
CREATE UNIQUE INDEX items_sku_key ON items (lower(sku));
CREATE UNIQUE INDEX items_ean_unit_key ON items (ean_unit);
CREATE UNIQUE INDEX items_ean_package_key ON items (ean_package);
-- One index per list sort; each also serves the reverse order.
CREATE INDEX items_name_idx ON items (lower(name), id);
CREATE INDEX items_created_idx ON items (created_at, id);
-- Few items are archived: listing only those must not read the rest.
CREATE INDEX items_archived_idx ON items (archived_at) WHERE archived_at IS NOT NULL;
-- The category filter in the default order; also the foreign key's index.
CREATE INDEX items_category_idx ON items (category_id, lower(name), id);
CREATE INDEX items_preferred_supplier_idx ON items (preferred_supplier_id);
-- Typo-tolerant search over what people type or scan: SKU, name, brand, EANs.
-- The store's queries repeat this expression verbatim so the planner uses it.
-- fastupdate off: the catalogue is read far more than written, and a pending
-- list of unsorted entries would make every search scan it until the next
-- vacuum (and make the planner shun the index meanwhile).
CREATE INDEX items_search_trgm ON items USING gin (
    lower(sku || ' ' || name || ' ' || brand || ' ' || coalesce(ean_unit, '') || ' ' || coalesce(ean_package, ''))
    gin_trgm_ops) WITH (fastupdate = off);
-- Counting the default list (active items, by category or not) from a
-- narrow index instead of the wide rows.
CREATE INDEX items_active_idx ON items (category_id) WHERE archived_at IS NULL;
CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE item_suppliers (
    -- The link is part of the item: it goes when the item goes.
    item_id        bigint      NOT NULL REFERENCES items ON DELETE CASCADE,
    supplier_id    bigint      NOT NULL REFERENCES suppliers ON DELETE RESTRICT,
    supplier_sku   text        NOT NULL DEFAULT '' CHECK (length(supplier_sku) <= 64),
    -- Purchase price in minor units of the item's currency: per package when
    -- the item has a package, otherwise per base unit. NULL: not known.
    price          bigint      CHECK (price >= 0),
    lead_time_days integer     CHECK (lead_time_days BETWEEN 0 AND 365),
    version        integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, supplier_id)
);
CREATE INDEX item_suppliers_supplier_idx ON item_suppliers (supplier_id);
CREATE TRIGGER item_suppliers_touch BEFORE UPDATE ON item_suppliers FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
