import org.mfrfhir.Batch;
import org.mfrfhir.Context;
import org.mfrfhir.Format;
import org.mfrfhir.ImportResult;
import org.mfrfhir.Input;
import org.mfrfhir.MfrException;
import org.mfrfhir.Session;
import org.mfrfhir.Status;
import org.mfrfhir.Strictness;
import org.mfrfhir.example.RecordSession;

/** The rest of the binding's API against the library, each answer checked: chart, validate,
 *  import and its sessions, invalid session JSON, a batch of notes, a closed handle. */
public final class ApiTour {
    static void expect(boolean ok, String what) {
        if (!ok) {
            System.err.println("FAIL: " + what);
            System.exit(1);
        }
        System.out.println("ok: " + what);
    }

    static MfrException refused(Runnable call) {
        try {
            call.run();
        } catch (MfrException e) {
            return e;
        }
        System.err.println("FAIL: the call was not refused");
        System.exit(1);
        return null;
    }

    public static void main(String[] args) {
        try (Context context = new Context("https://clinic.example/fhir/sessions")) {
            Session session = RecordSession.record(context);
            String svg = session.chart("fr", 0);
            expect(svg.contains("<svg") && svg.contains("data-level=\"T6\""), "chart draws T6");
            String bundle = context.export(Format.TRANSACTION, session);
            expect(context.validate(bundle, Input.AUTO, Strictness.STRICT).contains("\"OperationOutcome\""),
                    "our Bundle validates");
            MfrException e = refused(() -> context.validate(
                    "{\"resourceType\":\"Observation\",\"status\":\"done\",\"code\":{\"text\":\"x\"}}", Input.AUTO,
                    Strictness.STRICT));
            expect(e.status() == Status.INVALID_DATA && e.outcome().contains("Observation.status"),
                    "an invalid Observation is refused with its expression");
            Session back;
            try (ImportResult result = context.importFhir(bundle, Input.AUTO)) {
                expect(result.counts()[2] == 1 && result.counts()[1] == 0, "the Bundle imports as 1 session");
                back = result.session(0);
            }
            expect(back.info().note.equals("Séance 1 : épaule droite") && back.info().findingCount == 4,
                    "the imported copy outlives its result, note and findings intact");
            back.close();
            e = refused(() -> context.sessionFromJson(
                    "{\"id\":\"S-9\",\"patient\":\"Patient/1\",\"start\":\"2019-03-04\",\"findings\":[{\"site\":\"T4\",\"pain\":12}]}"));
            expect(e.status() == Status.INVALID_DATA && e.outcome().contains("findings[0].pain"),
                    "invalid session JSON names findings[0].pain");
            Batch.Options options = new Batch.Options();
            options.defaultPatient = "Patient/1";
            try (Batch batch = context.batch(options)) {
                batch.addNote("04/03/2019 T4 left marked restriction, pain 7/10, tender. Épaule droite libérée.",
                        "emr-1", null, null, null);
                long[] counts = batch.run();
                expect(counts[0] == 1 && counts[3] == 0, "a batch of one note imports it");
                try (ImportResult result = batch.takeResult()) {
                    expect(result.sessionCount() == 1, "the batch result holds its session");
                }
            }
            session.close();
            e = refused(session::toJson);
            expect(e.status() == Status.INVALID_HANDLE && e.getMessage().contains("NULL"),
                    "a closed session is refused by the library: " + e.getMessage());
        }
    }
}
