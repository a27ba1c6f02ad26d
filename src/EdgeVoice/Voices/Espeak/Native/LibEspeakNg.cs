using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeVoice.Voices.Espeak.Native;

/// <summary>The only imports of libespeak-ng in EdgeVoice (the <c>speak_lib.h</c> API of espeak-ng 1.51+).</summary>
internal static unsafe partial class LibEspeakNg
{
    private const string Library = "libespeak-ng.so.1";

    public const int AudioOutputSynchronous = 2;
    public const int InitializeDontExit = 0x8000;
    public const int PositionCharacter = 1;
    public const uint CharsUtf8 = 1;
    public const uint EndPause = 0x1000;
    public const int ParameterRate = 1;

    /// <summary><c>espeak_TextToPhonemes</c> phoneme mode: bit 1 set means IPA as UTF-8.</summary>
    public const int PhonemesIpa = 0x02;

    // espeak_ERROR
    public const int Ok = 0;
    public const int InternalError = -1;
    public const int BufferFull = 1;
    public const int NotFound = 2;

    /// <summary>Returns the sample rate in Hz, or -1 when the data folder is missing.</summary>
    [LibraryImport(Library, EntryPoint = "espeak_Initialize", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Initialize(int output, int bufferMilliseconds, string? path, int options);

    [LibraryImport(Library, EntryPoint = "espeak_SetSynthCallback")]
    public static partial void SetSynthCallback(delegate* unmanaged[Cdecl]<short*, int, void*, int> callback);

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByName", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetVoiceByName(string name);

    [LibraryImport(Library, EntryPoint = "espeak_SetParameter")]
    public static partial int SetParameter(int parameter, int value, int relative);

    [LibraryImport(Library, EntryPoint = "espeak_Synth")]
    public static partial int Synth(
        byte* text, nuint size, uint position, int positionType, uint endPosition, uint flags, uint* uniqueIdentifier, void* userData);

    /// <summary>Returns the phonemes of one clause and moves <paramref name="textPointer"/> past it (null at the end).</summary>
    [LibraryImport(Library, EntryPoint = "espeak_TextToPhonemes")]
    public static partial byte* TextToPhonemes(void** textPointer, int textMode, int phonemeMode);

    [LibraryImport(Library, EntryPoint = "espeak_Info")]
    private static partial byte* Info(byte** pathData);

    public static string Version() => Marshal.PtrToStringUTF8((IntPtr)Info(null)) ?? "unknown";

    /// <summary>Signature of <c>t_espeak_callback</c>: return 0 to go on, 1 to abort.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnSamples(short* samples, int count, void* events) =>
        EspeakLibrary.Deliver(samples, count);
}
