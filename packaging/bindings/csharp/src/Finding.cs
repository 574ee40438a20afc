using System;

namespace MfrFhir
{
    /// <summary>One finding at one site and side, as Session.AddFinding() takes it; null means
    /// "not recorded". Make one with Vertebra(), InRegion() or InWords(), then set what was found.</summary>
    public sealed class Finding
    {
        internal int? Level, RegionValue, RestrictionGrade, PainNrs;
        internal string RegionWords, VasMillimetres, NoteText;
        internal bool? IsTender;
        internal int Release = MfrFhir.Release.Unknown;
        internal readonly int Side;

        private Finding(int side) { Side = side; }

        /// <summary>At a vertebral level: "C1".."C7", "T1".."T12", "L1".."L5" or "sacrum".</summary>
        public static Finding Vertebra(string level, int side)
        {
            var f = new Finding(side);
            f.Level = LevelNumber(level);
            return f;
        }

        public static Finding InRegion(int region, int side)
        {
            var f = new Finding(side);
            f.RegionValue = region;
            return f;
        }

        /// <summary>Off the named regions, in words ("hip flexors").</summary>
        public static Finding InWords(string words, int side)
        {
            var f = InRegion(MfrFhir.Region.Other, side);
            f.RegionWords = words;
            return f;
        }

        /// <summary>0 none, 1 mild, 2 moderate, 3 marked.</summary>
        public Finding Restriction(int grade) { RestrictionGrade = grade; return this; }
        /// <summary>NRS 0..10.</summary>
        public Finding Pain(int nrs) { PainNrs = nrs; return this; }
        /// <summary>VAS in mm as decimal text, "42.5".</summary>
        public Finding VasMm(string mm) { VasMillimetres = mm; return this; }
        public Finding Tender(bool tender) { IsTender = tender; return this; }
        public Finding Released(int release) { Release = release; return this; }
        public Finding Note(string note) { NoteText = note; return this; }

        /// <summary>mfr_level's number (fixed in mfr.h: C1 = 0, T1 = 7, L1 = 19, sacrum = 24).</summary>
        private static int LevelNumber(string level)
        {
            if (string.Equals(level, "sacrum", StringComparison.OrdinalIgnoreCase)) return 24;
            int n;
            if (level.Length >= 2 && int.TryParse(level.Substring(1), System.Globalization.NumberStyles.None, null, out n))
            {
                switch (char.ToUpperInvariant(level[0]))
                {
                    case 'C': if (n >= 1 && n <= 7) return n - 1; break;
                    case 'T': if (n >= 1 && n <= 12) return 7 + n - 1; break;
                    case 'L': if (n >= 1 && n <= 5) return 19 + n - 1; break;
                }
            }
            throw new ArgumentException("mfr: \"" + level + "\" is not a vertebral level (C1-C7, T1-T12, L1-L5, sacrum)");
        }
    }
}
