/** What must never appear in an error answer: stack frames, file paths, exception class names. */
export const LEAKS = /(\bat .+:\d+:\d+)|node_modules|\/work\/|\.ts:\d|Error:|RangeError|TypeError|SyntaxError|FST_ERR|stack/;
