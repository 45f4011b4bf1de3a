namespace GlcmMae.Trainer.Export;

/// <summary>One parity comparison: which inputs, how many, the largest probability difference and whether every argmax agreed.</summary>
internal sealed record ParityCase(string Inputs, int Batch, double MaxAbsDifference, bool ArgmaxAgrees);
