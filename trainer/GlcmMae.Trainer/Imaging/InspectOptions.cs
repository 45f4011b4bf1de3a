namespace GlcmMae.Trainer.Imaging;

/// <summary>Arguments of <c>glcmmae inspect</c>.</summary>
internal sealed record InspectOptions(FileInfo File, bool ShowPhi);
