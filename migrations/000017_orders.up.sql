-- Orders and deliveries (issue 12): reservations on the stock rows, orders
-- with their lines and empties, the yearly order number counter, the
-- customers' deposit account and the empties location.
--
-- Reservations: a confirmed order reserves each line's base quantity at the
-- order's issue location (orders.location_id), kept as stock.reserved (and
-- summed per item in item_stock.reserved by the triggers of 000007/000009),
-- so that available = good - reserved is a condition on one row and the
-- low-stock index can use it. reserved is the sum of the lines of the
-- CONFIRMED orders at that place; confirm adds, cancel and deliver subtract,
-- in the same transaction as the order's status. It may exceed good only
-- after a stock-take counted less than was reserved (a count is a fact);
-- every other movement that takes good stock leaves at least the reserved
-- quantity there.

LOCK TABLE items, item_stock, stock, movements IN SHARE ROW EXCLUSIVE MODE;

ALTER TABLE stock ADD COLUMN reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0);
ALTER TABLE item_stock ADD COLUMN reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0);

CREATE OR REPLACE FUNCTION item_stock_stock_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item_stock SET good = good + NEW.good - OLD.good, defective = defective + NEW.defective - OLD.defective,
           reserved = reserved + NEW.reserved - OLD.reserved
     WHERE item_id = NEW.item_id;
    RETURN NULL;
END $$;
DROP TRIGGER item_stock_stock_updated ON stock;
CREATE TRIGGER item_stock_stock_updated AFTER UPDATE OF good, defective, reserved ON stock
    FOR EACH ROW WHEN (OLD.good <> NEW.good OR OLD.defective <> NEW.defective OR OLD.reserved <> NEW.reserved)
    EXECUTE FUNCTION item_stock_stock_updated();

-- Low stock is available (good - reserved) at or below the minimum: the
-- index of the low-stock list and the dashboard's counter follow
-- (ledger.IsLow, lowStockSQL in package postgres).
DROP INDEX item_stock_low_idx;
CREATE INDEX item_stock_low_idx ON item_stock (item_id)
    WHERE min_stock > 0 AND good - reserved <= min_stock AND (NOT archived OR good + defective > 0);

CREATE OR REPLACE FUNCTION dashboard_item_stock_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    first_id bigint;
    last_id  bigint;
BEGIN
    WITH d AS (
        SELECT coalesce(i.category_id, 0) AS category_id, i.currency,
               ((n.good + n.defective) - (o.good + o.defective))::numeric * i.avg_unit_cost_micros AS value,
               (n.min_stock > 0 AND n.good - n.reserved <= n.min_stock AND NOT n.archived)::int
                 - (o.min_stock > 0 AND o.good - o.reserved <= o.min_stock AND NOT o.archived)::int AS low
          FROM old_rows o JOIN new_rows n ON n.item_id = o.item_id JOIN items i ON i.id = n.item_id),
    appended AS (
        INSERT INTO dashboard_changes (figure, category_id, currency, amount)
        SELECT 'stock_value', category_id, currency, sum(value) FROM d GROUP BY 2, 3 HAVING sum(value) <> 0
        UNION ALL
        SELECT 'low_stock', 0, '', sum(low) FROM d HAVING sum(low) <> 0
        RETURNING change_id)
    SELECT min(change_id), max(change_id) INTO first_id, last_id FROM appended;
    PERFORM dashboard_appended(first_id, last_id);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dashboard_item_stock_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    first_id bigint;
    last_id  bigint;
BEGIN
    WITH appended AS (
        INSERT INTO dashboard_changes (figure, amount)
        SELECT 'low_stock', -count(*) FROM old_rows
         WHERE min_stock > 0 AND good - reserved <= min_stock AND NOT archived HAVING count(*) > 0
        RETURNING change_id)
    SELECT min(change_id), max(change_id) INTO first_id, last_id FROM appended;
    PERFORM dashboard_appended(first_id, last_id);
    RETURN NULL;
END $$;
-- New item_stock rows hold no reservation: dashboard_item_stock_inserted
-- (000012) stays right.

-- The empties location: where the empties customers hand back on a
-- delivery are booked (return movements). At most one location carries the
-- flag. The first delivery that takes empties back while none does flags
-- the location coded LEERGUT, creating it (a warehouse) when missing, so a
-- depot that sells no returnables gets no location it did not ask for.
ALTER TABLE locations ADD COLUMN empties boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX locations_empties_key ON locations ((true)) WHERE empties;

-- Order numbers LS-YYYY-NNNN: the last number given per calendar year. The
-- creating transaction locks its year's row (INSERT ... ON CONFLICT DO
-- UPDATE), so concurrent creates get consecutive numbers and a rolled-back
-- create gives its number back.
CREATE TABLE order_numbers (
    year integer NOT NULL PRIMARY KEY CHECK (year >= 1),
    last bigint  NOT NULL CHECK (last BETWEEN 1 AND 99999999)
);

CREATE TABLE orders (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number         text        NOT NULL CHECK (number ~ '^LS-[0-9]{4}-[0-9]{4,8}$'),
    customer_id    bigint      NOT NULL REFERENCES customers ON DELETE RESTRICT,
    -- Where the goods are reserved and issued from.
    location_id    bigint      NOT NULL REFERENCES locations ON DELETE RESTRICT,
    status         text        NOT NULL DEFAULT 'DRAFT'
                               CHECK (status IN ('DRAFT', 'CONFIRMED', 'DELIVERED', 'INVOICED', 'PAID', 'CANCELLED')),
    currency       text        NOT NULL CHECK (currency IN ('CHF', 'EUR')),
    -- The delivery address as it was when the order was last edited (the
    -- customer's delivery address, else the billing address): frozen by
    -- confirm, so the delivery note shows where the goods went.
    ship_name         text     NOT NULL CHECK (length(ship_name) BETWEEN 1 AND 70),
    ship_street       text     NOT NULL CHECK (length(ship_street) <= 70),
    ship_house_number text     NOT NULL CHECK (length(ship_house_number) <= 16),
    ship_postal_code  text     NOT NULL CHECK (length(ship_postal_code) BETWEEN 1 AND 16),
    ship_town         text     NOT NULL CHECK (length(ship_town) BETWEEN 1 AND 35),
    ship_country      text     NOT NULL CHECK (ship_country ~ '^[A-Z]{2}$'),
    delivery_date  date,       -- wanted by the customer; optional
    notes          text        NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    created_by     bigint      REFERENCES users ON DELETE RESTRICT,
    confirmed_at   timestamptz,
    confirmed_by   bigint      REFERENCES users ON DELETE RESTRICT,
    delivered_at   timestamptz,
    delivered_by   bigint      REFERENCES users ON DELETE RESTRICT,
    cancelled_at   timestamptz,
    cancelled_by   bigint      REFERENCES users ON DELETE RESTRICT,
    version        integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_confirmed_check CHECK (status IN ('DRAFT', 'CANCELLED') OR confirmed_at IS NOT NULL),
    CONSTRAINT orders_delivered_check CHECK ((delivered_at IS NOT NULL) = (status IN ('DELIVERED', 'INVOICED', 'PAID'))),
    CONSTRAINT orders_cancelled_check CHECK ((cancelled_at IS NOT NULL) = (status = 'CANCELLED'))
);
CREATE UNIQUE INDEX orders_number_key ON orders (number);
-- The list: newest first, per status, per customer.
CREATE INDEX orders_status_idx ON orders (status, id DESC);
CREATE INDEX orders_customer_idx ON orders (customer_id, id DESC);
CREATE INDEX orders_location_idx ON orders (location_id);
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- An order's lines, as sales.DecideLines decided them; delivered_quantity is
-- set by the delivery (in unit; 0 for a line not delivered), movement_id is
-- its issue movement.
CREATE TABLE order_lines (
    order_id           bigint  NOT NULL REFERENCES orders ON DELETE CASCADE,
    position           integer NOT NULL CHECK (position >= 0),
    item_id            bigint  NOT NULL REFERENCES items ON DELETE RESTRICT,
    unit               text    NOT NULL CHECK (unit IN ('base', 'package', 'pallet')),
    quantity           bigint  NOT NULL CHECK (quantity >= 1),
    factor             bigint  NOT NULL CHECK (factor >= 1),
    quantity_base      bigint  NOT NULL CHECK (quantity_base >= quantity),
    unit_price         bigint  NOT NULL CHECK (unit_price >= 0),
    price_overridden   boolean NOT NULL DEFAULT false,
    vat_rate_bp        integer NOT NULL CHECK (vat_rate_bp >= 0),
    deposit            bigint  NOT NULL CHECK (deposit >= 0),
    delivered_quantity bigint  CHECK (delivered_quantity BETWEEN 0 AND quantity),
    movement_id        bigint  REFERENCES movements ON DELETE RESTRICT,
    PRIMARY KEY (order_id, position),
    CONSTRAINT order_lines_movement_check CHECK (movement_id IS NULL OR delivered_quantity > 0)
);
CREATE INDEX order_lines_item_idx ON order_lines (item_id);
CREATE INDEX order_lines_movement_idx ON order_lines (movement_id) WHERE movement_id IS NOT NULL;

-- The empties handed back on an order's delivery, each booked as a return
-- movement to the empties location.
CREATE TABLE order_empties (
    order_id      bigint  NOT NULL REFERENCES orders ON DELETE CASCADE,
    position      integer NOT NULL CHECK (position >= 0),
    item_id       bigint  NOT NULL REFERENCES items ON DELETE RESTRICT,
    unit          text    NOT NULL CHECK (unit IN ('base', 'package', 'pallet')),
    quantity      bigint  NOT NULL CHECK (quantity >= 1),
    factor        bigint  NOT NULL CHECK (factor >= 1),
    quantity_base bigint  NOT NULL CHECK (quantity_base >= quantity),
    deposit       bigint  NOT NULL CHECK (deposit >= 0),
    vat_rate_bp   integer NOT NULL CHECK (vat_rate_bp >= 0),
    movement_id   bigint  NOT NULL REFERENCES movements ON DELETE RESTRICT,
    PRIMARY KEY (order_id, position)
);
CREATE INDEX order_empties_item_idx ON order_empties (item_id);
CREATE INDEX order_empties_movement_idx ON order_empties (movement_id);

-- A customer's deposit account (Pfandkonto): one entry per event that
-- charges or credits deposits, in minor units of its currency. A delivery
-- charges the delivered lines' deposits and credits the empties handed
-- back; credit notes will add entries of their own (source credit_note).
-- The balance is sum(charged) - sum(credited) per currency.
CREATE TABLE deposit_entries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint      NOT NULL REFERENCES customers ON DELETE RESTRICT,
    currency    text        NOT NULL CHECK (currency IN ('CHF', 'EUR')),
    source      text        NOT NULL CHECK (source IN ('delivery', 'invoice', 'credit_note')),
    order_id    bigint      REFERENCES orders ON DELETE RESTRICT,
    charged     bigint      NOT NULL,
    credited    bigint      NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deposit_entries_order_check CHECK (source <> 'delivery' OR order_id IS NOT NULL)
);
CREATE INDEX deposit_entries_customer_idx ON deposit_entries (customer_id, currency);
CREATE UNIQUE INDEX deposit_entries_delivery_key ON deposit_entries (order_id) WHERE source = 'delivery';
