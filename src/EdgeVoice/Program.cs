using EdgeVoice.Cli;

return await CommandLine.RunAsync(args).ConfigureAwait(false);
