package org.mfrfhir.example;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.mfrfhir.Context;
import org.mfrfhir.Finding;
import org.mfrfhir.Format;
import org.mfrfhir.Input;
import org.mfrfhir.Mfr;
import org.mfrfhir.MfrException;
import org.mfrfhir.Region;
import org.mfrfhir.Release;
import org.mfrfhir.Session;
import org.mfrfhir.Side;

/** java RecordSession OUT: records the example session, writes its transaction Bundle to
 *  OUT/bundle.json, then makes a call the library refuses and writes its message to OUT/error.txt. */
public final class RecordSession {
    /** The example session, recorded call by call: what an EMR's treatment form would send. */
    public static Session record(Context context) {
        Session session = context.newSession("S-JAVA-0001")
                .setPatient("Patient/p-456")
                .setPeriod("2020-11-17T09:00:00+01:00", null)
                .addRegion(Region.THORACIC_SPINE)
                .addRegion(Region.UPPER_TRAPEZIUS)
                .setCourse(1, 6)
                .setNote("Séance 1 : épaule droite");
        session.addFinding(Finding.vertebra("T6", Side.LEFT).restriction(2).pain(5).tender(true));
        session.addFinding(Finding.vertebra("T7", Side.BILATERAL).restriction(3).pain(8).released(Release.PARTIAL));
        session.addFinding(Finding.region(Region.UPPER_TRAPEZIUS, Side.RIGHT).restriction(1)
                .note("détente après deux passages"));
        return session;
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]);
        try (Context context = new Context("https://clinic.example/fhir/sessions")) {
            try (Session session = record(context)) {
                String bundle = context.export(Format.TRANSACTION, session);
                Files.write(out.resolve("bundle.json"), bundle.getBytes(StandardCharsets.UTF_8));
                Session.Info info = session.info();
                System.out.println("mfr-fhir " + Mfr.version() + ": " + info.id + " with " + info.findingCount
                        + " findings, " + bundle.getBytes(StandardCharsets.UTF_8).length + " bytes of Bundle");
            }
            try {
                context.importFhir("{\"resourceType\": \"Procedure\", \"status\": }", Input.JSON).close();
            } catch (MfrException e) {
                Files.write(out.resolve("error.txt"), e.getMessage().getBytes(StandardCharsets.UTF_8));
                System.out.println("refused as expected: " + e.statusName());
            }
        }
    }
}
