// mono RecordSession.exe OUT: records the example session, writes its transaction Bundle to
// OUT/bundle.json, then makes a call the library refuses and writes its message to OUT/error.txt.
using System;
using System.IO;
using System.Text;
using MfrFhir;

public static class RecordSession
{
    /// <summary>The example session, recorded call by call: what an EMR's treatment form would send.</summary>
    public static Session Record(Context context)
    {
        Session session = context.NewSession("S-CS-0001")
            .SetPatient("Patient/p-456")
            .SetPeriod("2020-11-17T09:00:00+01:00", null)
            .AddRegion(Region.ThoracicSpine)
            .AddRegion(Region.UpperTrapezius)
            .SetCourse(1, 6)
            .SetNote("Séance 1 : épaule droite");
        session.AddFinding(Finding.Vertebra("T6", Side.Left).Restriction(2).Pain(5).Tender(true));
        session.AddFinding(Finding.Vertebra("T7", Side.Bilateral).Restriction(3).Pain(8).Released(Release.Partial));
        session.AddFinding(Finding.InRegion(Region.UpperTrapezius, Side.Right).Restriction(1)
            .Note("détente après deux passages"));
        return session;
    }

    public static int Main(string[] args)
    {
        string output = args[0];
        var utf8 = new UTF8Encoding(false);
        using (var context = new Context("https://clinic.example/fhir/sessions"))
        {
            using (Session session = Record(context))
            {
                string bundle = context.Export(Format.Transaction, session);
                File.WriteAllText(Path.Combine(output, "bundle.json"), bundle, utf8);
                SessionInfo info = session.Info();
                Console.WriteLine("mfr-fhir " + Context.Version + ": " + info.Id + " with " + info.FindingCount
                    + " findings, " + utf8.GetByteCount(bundle) + " bytes of Bundle");
            }
            try
            {
                context.Import("{\"resourceType\": \"Procedure\", \"status\": }", Input.Json).Dispose();
            }
            catch (MfrException e)
            {
                File.WriteAllText(Path.Combine(output, "error.txt"), e.Message, utf8);
                Console.WriteLine("refused as expected: " + e.StatusName);
            }
        }
        return 0;
    }
}
