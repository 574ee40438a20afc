// The rest of the binding's API against the library, each answer checked: chart, validate,
// import and its sessions, invalid session JSON, a batch of notes, a closed handle.
using System;
using MfrFhir;

public static class ApiTour
{
    static void Expect(bool ok, string what)
    {
        if (!ok)
        {
            Console.Error.WriteLine("FAIL: " + what);
            Environment.Exit(1);
        }
        Console.WriteLine("ok: " + what);
    }

    static MfrException Refused(Action call)
    {
        try
        {
            call();
        }
        catch (MfrException e)
        {
            return e;
        }
        Console.Error.WriteLine("FAIL: the call was not refused");
        Environment.Exit(1);
        return null;
    }

    public static int Main(string[] args)
    {
        using (var context = new Context("https://clinic.example/fhir/sessions"))
        {
            Session session = RecordSession.Record(context);
            string svg = session.Chart("fr", 0);
            Expect(svg.Contains("<svg") && svg.Contains("data-level=\"T6\""), "chart draws T6");
            string bundle = context.Export(Format.Transaction, session);
            Expect(context.Validate(bundle, Input.Auto, Strictness.Strict).Contains("\"OperationOutcome\""), "our Bundle validates");
            MfrException e = Refused(() => context.Validate(
                "{\"resourceType\":\"Observation\",\"status\":\"done\",\"code\":{\"text\":\"x\"}}", Input.Auto, Strictness.Strict));
            Expect(e.Status == Status.InvalidData && e.Outcome.Contains("Observation.status"),
                "an invalid Observation is refused with its expression");
            Session back;
            using (ImportResult result = context.Import(bundle, Input.Auto))
            {
                Expect(result.Counts()[2] == 1 && result.Counts()[1] == 0, "the Bundle imports as 1 session");
                back = result.Session(0);
            }
            Expect(back.Info().Note == "Séance 1 : épaule droite" && back.Info().FindingCount == 4,
                "the imported copy outlives its result, note and findings intact");
            back.Dispose();
            e = Refused(() => context.SessionFromJson(
                "{\"id\":\"S-9\",\"patient\":\"Patient/1\",\"start\":\"2019-03-04\",\"findings\":[{\"site\":\"T4\",\"pain\":12}]}"));
            Expect(e.Status == Status.InvalidData && e.Outcome.Contains("findings[0].pain"), "invalid session JSON names findings[0].pain");
            var options = new BatchOptions();
            options.DefaultPatient = "Patient/1";
            using (Batch batch = context.Batch(options))
            {
                batch.AddNote("04/03/2019 T4 left marked restriction, pain 7/10, tender. Épaule droite libérée.", "emr-1", null, null, null);
                ulong[] counts = batch.Run();
                Expect(counts[0] == 1 && counts[3] == 0, "a batch of one note imports it");
                using (ImportResult result = batch.TakeResult())
                    Expect(result.Counts()[2] == 1, "the batch result holds its session");
            }
            session.Dispose();
            e = Refused(() => session.ToJson());
            Expect(e.Status == Status.InvalidHandle && e.Message.Contains("NULL"),
                "a closed session is refused by the library: " + e.Message);
        }
        return 0;
    }
}
