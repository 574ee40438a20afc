// mono MemCheck.exe N: N export/free cycles of the example session; prints the resident set
// (kB) after a tenth of them (warm-up) and at the end, for bindings_test.py to compare.
using System;
using System.IO;
using MfrFhir;

public static class MemCheck
{
    static long RssKb()
    {
        foreach (string line in File.ReadAllLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Substring(6).Trim().Split(' ')[0]);
        throw new InvalidOperationException("no VmRSS");
    }

    // Managed garbage (the exported strings) is collected first: what is measured is the native side.
    static long SettledRssKb()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return RssKb();
    }

    public static int Main(string[] args)
    {
        int cycles = int.Parse(args[0]);
        long bytes = 0, warm = 0;
        using (var context = new Context("https://clinic.example/fhir/sessions"))
        {
            for (int i = 1; i <= cycles; i++)
            {
                using (Session session = RecordSession.Record(context))
                    bytes += context.Export(Format.Transaction, session).Length;
                if (i == cycles / 10) warm = SettledRssKb();
            }
        }
        Console.WriteLine("cycles " + cycles + " bytes " + bytes + " rss_warm_kb " + warm + " rss_end_kb " + SettledRssKb());
        return 0;
    }
}
