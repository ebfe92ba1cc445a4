-- Customer PII masking, the same rules as pulsedesk-core's pii.rs (a test compares the two):
-- 张三丰 → 张**, 13812341234 → 138****1234, alice@example.com → a***@example.com.

CREATE FUNCTION pd_mask_name(raw text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    name  text := btrim(raw, E' \t\n\r');
    words text[];
    out   text := '';
    w     text;
    i     integer := 0;
BEGIN
    IF name = '' THEN
        RETURN '';
    END IF;
    words := regexp_split_to_array(name, E'[ \t\n\r]+');
    IF array_length(words, 1) = 1 AND char_length(name) = 1 THEN
        RETURN '*';
    END IF;
    FOREACH w IN ARRAY words LOOP
        IF i > 0 THEN
            out := out || ' ';
        END IF;
        out := out || left(w, 1) || repeat('*', greatest(char_length(w) - 1, 0));
        i := i + 1;
    END LOOP;
    RETURN out;
END $$;

CREATE FUNCTION pd_mask_phone(raw text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    phone   text := btrim(raw, E' \t\n\r');
    prefix  text := '';
    rest    text;
    digits  integer;
    head    integer;
    tail    integer;
    seen    integer := 0;
    out     text;
    c       text;
BEGIN
    IF left(phone, 1) = '+' THEN
        prefix := '+' || coalesce(substring(substring(phone FROM 2) FROM '^[0-9]*'), '');
    END IF;
    rest := substring(phone FROM char_length(prefix) + 1);
    digits := char_length(regexp_replace(rest, '[^0-9]', '', 'g'));
    IF digits <= 4 THEN
        head := 0; tail := 0;
    ELSIF digits <= 7 THEN
        head := 0; tail := 2;
    ELSE
        head := 3; tail := 4;
    END IF;
    out := prefix;
    FOREACH c IN ARRAY regexp_split_to_array(rest, '') LOOP
        IF c ~ '^[0-9]$' THEN
            seen := seen + 1;
            IF seen <= head OR seen > digits - tail THEN
                out := out || c;
            ELSE
                out := out || '*';
            END IF;
        ELSE
            out := out || c;
        END IF;
    END LOOP;
    RETURN out;
END $$;

CREATE FUNCTION pd_mask_email(raw text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    email   text := btrim(raw, E' \t\n\r');
    at      integer := char_length(email) - strpos(reverse(email), '@') + 1;
    local   text;
    domain  text;
BEGIN
    IF strpos(email, '@') = 0 THEN
        RETURN pd_mask_name(email);
    END IF;
    local := left(email, at - 1);
    domain := substring(email FROM at + 1);
    IF local = '' OR domain = '' THEN
        RETURN pd_mask_name(email);
    END IF;
    RETURN left(local, 1) || '***@' || domain;
END $$;

CREATE FUNCTION pd_customers_masked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.name_masked := pd_mask_name(NEW.name);
    NEW.phone_masked := pd_mask_phone(NEW.phone);
    NEW.email_masked := pd_mask_email(NEW.email);
    RETURN NEW;
END $$;

CREATE TRIGGER customers_masked BEFORE INSERT OR UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION pd_customers_masked();
