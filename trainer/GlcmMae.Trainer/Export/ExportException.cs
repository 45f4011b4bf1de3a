using GlcmMae.Shared;

namespace GlcmMae.Trainer.Export;

/// <summary>The export could not produce a trustworthy model (parity failed, nothing to export).</summary>
internal sealed class ExportException(string code, string message) : GlcmMaeException(message)
{
    public override string ErrorCode => code;
}
