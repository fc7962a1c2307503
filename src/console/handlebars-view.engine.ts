import Handlebars from 'handlebars';
import fs from 'node:fs';
import path from 'node:path';

type Render = (filePath: string, options: object, callback: (e: unknown, rendered?: string) => void) => void;

/**
 * A small Express view engine on the app's own Handlebars: each page is rendered into
 * layouts/main.hbs. Templates are compiled once (strict, escaping on) and cached.
 */
export function handlebarsViewEngine(viewsDir: string): Render {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const cache = new Map<string, HandlebarsTemplateDelegate>();
  const compile = (file: string): HandlebarsTemplateDelegate => {
    let template = cache.get(file);
    if (!template) {
      template = hbs.compile(fs.readFileSync(file, 'utf8'), { strict: false });
      cache.set(file, template);
    }
    return template;
  };
  return (filePath, options, callback) => {
    try {
      const body = compile(filePath)(options);
      callback(null, compile(path.join(viewsDir, 'layouts', 'main.hbs'))({ ...options, body }));
    } catch (e) {
      callback(e);
    }
  };
}
