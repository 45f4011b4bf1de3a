namespace GlcmMae.Trainer.Torch;

/// <summary>Derives independent seeds from the run seed and counters, so every random choice is a function of (seed, epoch, step).</summary>
/// <remarks>Nothing random carries state from step to step, which is what makes a resumed run repeat the original bit for bit.</remarks>
internal static class Seeds
{
    /// <summary>SplitMix64 of the run seed mixed with a purpose and two counters.</summary>
    public static long Derive(long seed, int purpose, long first, long second = 0)
    {
        var x = unchecked((ulong)seed);
        foreach (var value in new[] { (ulong)purpose, unchecked((ulong)first), unchecked((ulong)second) })
        {
            x = Mix(x ^ Mix(value + 0x9E3779B97F4A7C15UL));
        }

        return (long)(x >> 1);
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Seed purposes (never reorder: checkpoints depend on them).</summary>
    public static class Purpose
    {
        public const int DataOrder = 1;
        public const int Masking = 2;
        public const int Augmentation = 3;
        public const int Torch = 4;
        public const int Synthesis = 5;
        public const int SynthesisUid = 6;
        public const int Split = 7;
        public const int Finetune = 8;
    }
}
