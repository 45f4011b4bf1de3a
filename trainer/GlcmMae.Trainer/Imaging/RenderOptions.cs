namespace GlcmMae.Trainer.Imaging;

/// <summary>Arguments of <c>glcmmae render</c>.</summary>
internal sealed record RenderOptions(FileInfo File, FileInfo Output, int Frame, (double Center, double Width)? Window, bool NoWindow, FileInfo? Raw, bool Json = false);
