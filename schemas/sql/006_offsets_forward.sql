-- A stored consumer offset only moves forward. The append path already refuses a batch
-- that starts before the stored offset (a member that lost its partitions writing after
-- the new owner); this trigger holds the same line for every other writer, whatever its
-- role. To have a partition read again from an earlier offset, the owner deletes its row
-- (the partition then starts at the beginning of its log; redelivered events are counted
-- as duplicates, never appended twice).
CREATE FUNCTION ledger.refuse_offset_backwards() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger.consumer_offsets: the offset of group %, topic %, partition % may not move back from % to %',
        OLD.consumer_group, OLD.topic, OLD.partition, OLD.offset_next, NEW.offset_next
        USING ERRCODE = 'check_violation',
              HINT = 'to read a partition again, delete its row as the owner';
END $$;

CREATE TRIGGER consumer_offsets_forward BEFORE UPDATE ON ledger.consumer_offsets
    FOR EACH ROW WHEN (NEW.offset_next < OLD.offset_next) EXECUTE FUNCTION ledger.refuse_offset_backwards();
