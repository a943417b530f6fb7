// zod compiles object parsers with `new Function` where it may, and finds out by calling
// `Function('')` once, as soon as the first object schema is built: an eval, which the page's
// Content-Security-Policy (script-src 'self') refuses and reports. Libraries in the bundle (the
// AI SDK) build schemas as they load, before any code of ours could call z.config(), so the
// setting is put where zod looks for it before zod loads. Interpreted parsing is fast enough for
// what a page checks.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, {
  jitless: true,
})
