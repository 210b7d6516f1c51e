package dev.sidflow.stream;

import dev.sidflow.serve.Query;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Query} as Flink moves and stores it: a POJO (array fields, no Kryo) used both inside
 * {@link UserRequest} and as a session's last turn in {@link UserHistoryFunction}'s keyed state;
 * fields added later restore with their defaults.
 */
public class RequestQuery {
    /** The kind the client named (Query.Kind name) or null. */
    public String requested;
    public String seedItem;
    public String seedSid;
    public String text;
    public String[] whereKeys = new String[0];
    public String[] whereValues = new String[0];
    public String session;
    /** Event time of the turn that last used this session (evicts the oldest session first). */
    public long lastUsed;

    public RequestQuery() {}

    public static RequestQuery of(Query q, long eventTime) {
        RequestQuery r = new RequestQuery();
        r.requested = q.requested() == null ? null : q.requested().name();
        r.seedItem = q.seedItem();
        r.seedSid = q.seedSid();
        r.text = q.text();
        r.whereKeys = q.where().keySet().toArray(new String[0]);
        r.whereValues = q.where().values().toArray(new String[0]);
        r.session = q.session();
        r.lastUsed = eventTime;
        return r;
    }

    public Query toQuery() {
        Map<String, String> where = new LinkedHashMap<>();
        for (int i = 0; i < whereKeys.length; i++) where.put(whereKeys[i], whereValues[i]);
        return new Query(requested == null ? null : Query.Kind.valueOf(requested), seedItem, seedSid, text, where, session);
    }
}
