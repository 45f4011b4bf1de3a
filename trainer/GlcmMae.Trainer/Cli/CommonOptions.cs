using System.CommandLine;

namespace GlcmMae.Trainer.Cli;

/// <summary>Factories for options that several commands share, so names and help stay identical.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = Strings.JsonDescription };

    public static Option<string> StoreRoot() => new("--root")
    {
        Description = Strings.StoreRootDescription,
        DefaultValueFactory = _ => ".glcmmae",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = Strings.DeviceDescription,
        DefaultValueFactory = _ => "auto",
    };

    public static Option<int?> Threads() => new("--threads")
    {
        Description = Strings.ThreadsDescription,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<int?>() is < 1)
                {
                    result.AddError("--threads must be at least 1.");
                }
            },
        },
    };
}
