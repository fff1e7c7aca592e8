-- The stock ledger: stock levels per item and location, and the journal of
-- movements that is the only way those levels change.
--
-- Every movement is written in one transaction with the stock rows it
-- changes, so the levels always equal the sum of the journal's effects. The
-- CHECK constraints make negative stock impossible whatever a writer does,
-- and the journal is append-only: a mistake is undone by a reversal, a new
-- movement pointing at the one it cancels.

-- Quantities are in the item's base unit. good is usable stock; defective
-- has been booked out of it by a defect movement and waits for a write-off.
CREATE TABLE stock (
    item_id     bigint      NOT NULL REFERENCES items ON DELETE RESTRICT,
    location_id bigint      NOT NULL REFERENCES locations ON DELETE RESTRICT,
    good        bigint      NOT NULL DEFAULT 0 CHECK (good >= 0),
    defective   bigint      NOT NULL DEFAULT 0 CHECK (defective >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, location_id)
);
-- What a location holds; also the locations foreign key's index.
CREATE INDEX stock_location_idx ON stock (location_id, item_id);
CREATE TRIGGER stock_touch BEFORE UPDATE ON stock FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The effect on stock follows from the type; quantity_base is the magnitude
-- in base units:
--   receipt, return   + good at location_id
--   issue             - good at location_id
--   defect            - good, + defective at location_id
--   write_off         - defective at location_id
--   adjust            + quantity_base (the delta, any sign) to good; counted is the new level
--   transfer          - good at location_id, + good at to_location_id
--   reversal          the exact opposite of the movement reverses_id names, whose
--                     item, locations, quantities, cost and partner it repeats
CREATE TABLE movements (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type             text        NOT NULL CHECK (type IN (
                         'receipt', 'issue', 'return', 'defect', 'write_off', 'adjust', 'transfer', 'reversal')),
    item_id          bigint      NOT NULL REFERENCES items ON DELETE RESTRICT,
    location_id      bigint      NOT NULL REFERENCES locations ON DELETE RESTRICT,
    to_location_id   bigint      REFERENCES locations ON DELETE RESTRICT,
    quantity_base    bigint      NOT NULL,
    counted          bigint      CHECK (counted >= 0),
    -- As entered: entered_quantity of entered_unit, each unit_factor base
    -- units at the time, so history stays true when an item's sizes change.
    entered_quantity bigint      NOT NULL CHECK (entered_quantity >= 0),
    entered_unit     text        NOT NULL CHECK (entered_unit IN ('base', 'package', 'pallet')),
    unit_factor      bigint      NOT NULL CHECK (unit_factor >= 1),
    -- Cost of one base unit in millionths of the item's currency.
    unit_cost_micros bigint      CHECK (unit_cost_micros >= 0),
    supplier_id      bigint      REFERENCES suppliers ON DELETE RESTRICT,
    customer_id      bigint      REFERENCES customers ON DELETE RESTRICT,
    reason           text        NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    note             text        NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    reverses_id      bigint      REFERENCES movements ON DELETE RESTRICT,
    -- When the goods moved (back-dating allowed within the api's limit), and
    -- when the movement was booked.
    effective_at     timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- NULL for the system. People with movements are disabled, never deleted.
    created_by       bigint      REFERENCES users ON DELETE RESTRICT,
    token_id         bigint      REFERENCES api_tokens ON DELETE RESTRICT,
    -- The client's Idempotency-Key and a hash of what was asked with it: a
    -- retry is recognised even when the HTTP layer's record is gone.
    request_key      text        CHECK (length(request_key) BETWEEN 1 AND 200),
    request_hash     bytea,
    -- The item's moving-average cost (micros per base unit) before and after,
    -- so that reversing the latest priced receipt restores the average exactly.
    avg_cost_before  bigint      NOT NULL CHECK (avg_cost_before >= 0),
    avg_cost_after   bigint      NOT NULL CHECK (avg_cost_after >= 0),
    CONSTRAINT movements_quantity_check CHECK (quantity_base > 0 OR type IN ('adjust', 'reversal')),
    CONSTRAINT movements_entered_check CHECK (entered_quantity > 0 OR type IN ('adjust', 'reversal')),
    CONSTRAINT movements_adjust_check CHECK ((counted IS NOT NULL) = (type = 'adjust')),
    CONSTRAINT movements_transfer_check CHECK (
        (type <> 'transfer' OR to_location_id IS NOT NULL)
        AND (to_location_id IS NULL OR type IN ('transfer', 'reversal'))
        AND to_location_id <> location_id),
    CONSTRAINT movements_cost_check CHECK (unit_cost_micros IS NULL OR type IN ('receipt', 'reversal')),
    CONSTRAINT movements_average_check CHECK (
        avg_cost_before = avg_cost_after OR type IN ('receipt', 'reversal')),
    CONSTRAINT movements_supplier_check CHECK (supplier_id IS NULL OR type IN ('receipt', 'reversal')),
    CONSTRAINT movements_customer_check CHECK (customer_id IS NULL OR type IN ('issue', 'return', 'reversal')),
    CONSTRAINT movements_reason_required_check CHECK (type NOT IN ('defect', 'write_off') OR reason <> ''),
    CONSTRAINT movements_reversal_check CHECK ((reverses_id IS NOT NULL) = (type = 'reversal') AND reverses_id <> id),
    CONSTRAINT movements_request_check CHECK ((request_key IS NULL) = (request_hash IS NULL))
);
-- A movement is reversed at most once.
CREATE UNIQUE INDEX movements_reverses_id_key ON movements (reverses_id);
-- One movement per client key and person (the system counts as person 0).
CREATE UNIQUE INDEX movements_request_key_key ON movements (coalesce(created_by, 0), request_key)
    WHERE request_key IS NOT NULL;
-- The journal is read newest first (id DESC); each filter has an index in
-- that order, which also serves the foreign key checks of deletes elsewhere.
CREATE INDEX movements_item_idx ON movements (item_id, id DESC);
CREATE INDEX movements_location_idx ON movements (location_id, id DESC);
CREATE INDEX movements_to_location_idx ON movements (to_location_id, id DESC) WHERE to_location_id IS NOT NULL;
CREATE INDEX movements_type_idx ON movements (type, id DESC);
CREATE INDEX movements_created_by_idx ON movements (created_by, id DESC);
CREATE INDEX movements_token_idx ON movements (token_id) WHERE token_id IS NOT NULL;
CREATE INDEX movements_supplier_idx ON movements (supplier_id, id DESC) WHERE supplier_id IS NOT NULL;
CREATE INDEX movements_customer_idx ON movements (customer_id, id DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX movements_effective_idx ON movements (effective_at, id);

CREATE FUNCTION movements_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'movements are append-only; book a reversal instead' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER movements_append_only BEFORE UPDATE OR DELETE ON movements
    FOR EACH ROW EXECUTE FUNCTION movements_append_only();
CREATE TRIGGER movements_no_truncate BEFORE TRUNCATE ON movements
    FOR EACH STATEMENT EXECUTE FUNCTION movements_append_only();
