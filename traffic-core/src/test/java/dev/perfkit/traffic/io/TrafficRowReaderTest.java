package dev.perfkit.traffic.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.validation.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading in batches gives exactly the rows and defects of reading the whole file, whatever the batch size. */
class TrafficRowReaderTest {

    private static final String CSV = """
            node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh,api_type
            a,b,2025-10-30T03:24:51,0.981,143,24.7,real
            a,c,not-a-time,0.996,142,25.0,real

            d,e,2025-10-30T03:24:52,0.572,118,17.45,real
            d,f,2025-10-30T03:24:53,0.5,fast,17.45,real
            g,h,2025-10-30T03:24:54,0.5,100,18.0,real
            """;
    private static final String JSON = """
            [
              {"node_a_id": "a", "node_b_id": "b", "timestamp": "2025-10-30T03:24:51", "distance_km": 1.0,
               "duration_sec": 100, "speed_kmh": 36.0},
              {"node_a_id": "a", "node_b_id": "c", "timestamp": "2025-10-30T03:24:51", "distance_km": "far"},
              {"node_a_id": "d", "node_b_id": "e", "timestamp": "2025-10-30T03:24:52", "distance_km": 1.0,
               "duration_sec": 100, "speed_kmh": 36.0, "colour": "red"},
              {"node_a_id": "g", "node_b_id": "h", "timestamp": "2025-10-30T03:24:53", "distance_km": 1.0,
               "duration_sec": 100, "speed_kmh": 36.0}
            ]
            """;

    @TempDir
    Path dir;

    @Test
    void read_inBatchesOfAnySize_givesTheRowsAndDefectsOfReadRows() throws Exception {
        for (String[] file : new String[][] {{"rows.csv", CSV}, {"rows.json", JSON}}) {
            Path path = Files.writeString(dir.resolve(file[0]), file[1]);
            TrafficFile whole = TrafficReader.readRows(path, CityTime.DEFAULT_ZONE);
            assertThat(whole.rowDefects()).as(file[0]).hasSize(2);
            for (int batch = 1; batch <= whole.records().size() + 1; batch++) {
                List<TrafficRecord> records = new ArrayList<>();
                List<ValidationReport.Issue> defects = new ArrayList<>();
                try (TrafficRowReader rows = TrafficRowReader.open(path, CityTime.DEFAULT_ZONE)) {
                    List<TrafficRecord> chunk = new ArrayList<>();
                    List<ValidationReport.Issue> chunkDefects = new ArrayList<>();
                    int n;
                    while ((n = rows.read(batch, chunk, chunkDefects)) > 0) {
                        assertThat(n).isLessThanOrEqualTo(batch).isEqualTo(chunk.size());
                        for (ValidationReport.Issue d : chunkDefects) {
                            defects.add(new ValidationReport.Issue(records.size() + d.row(), d.field(), d.code(),
                                    d.message()));
                        }
                        records.addAll(chunk);
                        chunk.clear();
                        chunkDefects.clear();
                    }
                    assertThat(rows.rowsRead()).isEqualTo(whole.records().size());
                }
                assertThat(records).as("%s in batches of %d", file[0], batch).isEqualTo(whole.records());
                assertThat(defects).as("%s in batches of %d", file[0], batch).isEqualTo(whole.rowDefects());
            }
        }
    }

    @Test
    void read_truncatedJson_failsWhenTheReaderGetsThere_namingTheFile() throws Exception {
        Path path = Files.writeString(dir.resolve("cut.json"), JSON.substring(0, JSON.lastIndexOf("{\"node_a_id\": \"g\"")
                + 20));
        try (TrafficRowReader rows = TrafficRowReader.open(path, CityTime.DEFAULT_ZONE)) {
            List<TrafficRecord> records = new ArrayList<>();
            assertThat(rows.read(3, records, new ArrayList<>())).isEqualTo(3);
            assertThatThrownBy(() -> rows.read(3, records, new ArrayList<>()))
                    .isInstanceOf(TrafficInputException.class).hasMessageContaining("cut.json")
                    .hasMessageContaining("malformed JSON");
        }
    }
}
