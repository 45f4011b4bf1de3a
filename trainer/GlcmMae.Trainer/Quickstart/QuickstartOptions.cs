namespace GlcmMae.Trainer.Quickstart;

/// <summary>What <c>glcmmae quickstart</c> was asked to do.</summary>
internal sealed record QuickstartOptions(bool Json, int? Threads, string Root, bool WithAzurite = false);
