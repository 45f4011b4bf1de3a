namespace GlcmMae.Trainer.Cli.Quickstart;

/// <summary>What <c>glcmmae quickstart</c> was asked to do.</summary>
internal sealed record QuickstartOptions(bool Json, int? Threads, string Root, bool WithAzurite = false, bool Quick = false)
{
    /// <summary>How much data and training the demo uses.</summary>
    public QuickstartScale Scale => Quick ? QuickstartScale.Smoke : QuickstartScale.Demo;
}
