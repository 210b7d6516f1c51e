package dev.sidflow.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** What Flink's REST API says about the one job on a cluster (a MiniCluster's or a standalone one's). */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlinkRest() {}

    /** How often the cluster's only job has restarted (Flink's numRestarts metric). */
    static int restarts(String restAddress) throws IOException, InterruptedException {
        String id = onlyJob(restAddress);
        // the REST metric cache fills asynchronously: the first ask may come back empty
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode m : get(restAddress, "/jobs/" + id + "/metrics?get=numRestarts")) {
                if ("numRestarts".equals(m.path("id").asText())) return Integer.parseInt(m.path("value").asText());
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no numRestarts metric for job " + id + " at " + restAddress);
    }

    /** The parallelism of each vertex (chain of operators, named by them) of the cluster's only job. */
    static Map<String, Integer> vertexParallelism(String restAddress) throws IOException, InterruptedException {
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode v : get(restAddress, "/jobs/" + onlyJob(restAddress)).path("vertices")) {
            out.put(v.path("name").asText(), v.path("parallelism").asInt());
        }
        return out;
    }

    private static String onlyJob(String restAddress) throws IOException, InterruptedException {
        JsonNode jobs = get(restAddress, "/jobs").path("jobs");
        if (jobs.size() != 1) throw new IllegalStateException("expected one job at " + restAddress + ": " + jobs);
        return jobs.get(0).path("id").asText();
    }

    private static JsonNode get(String restAddress, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create("http://" + restAddress + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("GET " + path + " at " + restAddress + ": HTTP " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }
}
