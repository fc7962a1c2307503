import Handlebars from 'handlebars';
import fs from 'node:fs';
import path from 'node:path';
import { CONSOLE_HELPERS } from './console-helpers';

/**
 * A page body rendered once and reused while its model is (a cached model brings the holder along): only for pages
 * whose body reads no locals of the person asking (user, CSRF token), since every caller gets the same HTML.
 */
export interface RenderedBody {
  html?: string;
}

type Render = (filePath: string, options: object, callback: (e: unknown, rendered?: string) => void) => void;

/**
 * A small Express view engine on the app's own Handlebars: each page is rendered into
 * layouts/main.hbs, with partials/*.hbs and the console helpers. Templates are compiled once (escaping on)
 * and cached.
 */
export function handlebarsViewEngine(viewsDir: string): Render {
  const hbs = Handlebars.create();
  for (const [name, fn] of Object.entries(CONSOLE_HELPERS))
    hbs.registerHelper(name, fn as Handlebars.HelperDelegate);
  const partialsDir = path.join(viewsDir, 'partials');
  if (fs.existsSync(partialsDir)) {
    for (const file of fs.readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
      hbs.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(partialsDir, file), 'utf8'));
    }
  }
  const cache = new Map<string, HandlebarsTemplateDelegate>();
  const compile = (file: string): HandlebarsTemplateDelegate => {
    let template = cache.get(file);
    if (!template) {
      template = hbs.compile(fs.readFileSync(file, 'utf8'));
      cache.set(file, template);
    }
    return template;
  };
  return (filePath, options, callback) => {
    try {
      const reuse = (options as { renderedBody?: RenderedBody }).renderedBody;
      const body = reuse?.html ?? compile(filePath)(options);
      if (reuse) reuse.html = body;
      // A page may ask for another layout (the printable notice: print.hbs; the public pages: public.hbs).
      const asked = (options as { layout?: unknown }).layout;
      const layout = asked === 'print' || asked === 'public' ? asked : 'main';
      callback(null, compile(path.join(viewsDir, 'layouts', `${layout}.hbs`))({ ...options, body }));
    } catch (e) {
      callback(e);
    }
  };
}
