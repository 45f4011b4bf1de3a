using System.Runtime.InteropServices;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>Loads an optional system codec library once, and says which package provides it when it is missing.</summary>
internal sealed class NativeCodecLibrary
{
    private readonly Lazy<IntPtr> _handle;

    public NativeCodecLibrary(string description, string package, params string[] names)
    {
        Description = description;
        Package = package;
        _handle = new Lazy<IntPtr>(() =>
        {
            foreach (var name in names)
            {
                if (NativeLibrary.TryLoad(name, out var handle))
                {
                    return handle;
                }
            }

            return IntPtr.Zero;
        });
    }

    public string Description { get; }

    public string Package { get; }

    /// <summary>The package's name on Ubuntu where it differs from Debian's.</summary>
    public string? UbuntuPackage { get; init; }

    public bool IsAvailable => _handle.Value != IntPtr.Zero;

    /// <summary>The address of an exported function; throws when the library or the function is missing.</summary>
    public IntPtr Export(string name) =>
        NativeLibrary.TryGetExport(_handle.Value, name, out var address)
            ? address
            : throw new EntryPointNotFoundException($"{Description} does not export {name}; install a newer {Package}.");

    /// <summary>What to install, for messages: "the Debian/Ubuntu package X (apt-get install -y X)".</summary>
    public string InstallAdvice => UbuntuPackage is null
        ? $"install the Debian/Ubuntu package {Package} (apt-get install -y {Package})"
        : $"install the package {Package} on Debian, {UbuntuPackage} on Ubuntu (apt-get install -y {Package})";

    public UnsupportedTransferSyntaxException Missing(DicomTransferSyntax transferSyntax) =>
        new(transferSyntax.Uid, transferSyntax.Name, $"It is decoded by the system's {Description}, which is not installed: {InstallAdvice}.");
}
