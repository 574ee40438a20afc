import java.nio.file.Files;
import java.nio.file.Paths;
import org.mfrfhir.Context;
import org.mfrfhir.Format;
import org.mfrfhir.Session;
import org.mfrfhir.example.RecordSession;

/** java MemCheck N: N export/free cycles of the example session; prints the resident set (kB)
 *  after a tenth of them (warm-up) and at the end, for bindings_test.py to compare. */
public final class MemCheck {
    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        long bytes = 0;
        long warm = 0;
        try (Context context = new Context("https://clinic.example/fhir/sessions")) {
            for (int i = 1; i <= cycles; i++) {
                try (Session session = RecordSession.record(context)) {
                    bytes += context.export(Format.TRANSACTION, session).length();
                }
                if (i == cycles / 10) {
                    warm = rssKb();
                }
            }
        }
        System.out.println("cycles " + cycles + " bytes " + bytes + " rss_warm_kb " + warm + " rss_end_kb " + rssKb());
    }
}
