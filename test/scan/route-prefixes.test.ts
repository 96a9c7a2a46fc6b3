/** Route prefixes beyond the corpus: how mount and own prefixes combine, read from in-memory sources. */
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/types/scan.js';
import { detectGetRoutes } from '../../src/verify/runtime/route-detection.js';
import { joinPath } from '../../src/verify/runtime/route-prefixes.js';

function svc(language: Service['language']): Service {
  return {
    id: 's',
    name: 's',
    root: '.',
    language,
    manifest: 'x',
    frameworks: [],
    httpClients: [],
    queueClients: [],
    dbClients: [],
    logging: [],
    tracing: [],
  };
}

const paths = (language: Service['language'], files: Record<string, string>) =>
  detectGetRoutes(
    svc(language),
    Object.entries(files).map(([rel, text]) => ({ rel, text })),
    [],
  )
    .map((r) => r.path)
    .sort();

describe('route prefixes', () => {
  it('joins with exactly one slash', () => {
    expect(joinPath('/auth', '/login')).toBe('/auth/login');
    expect(joinPath('/auth/', '/login')).toBe('/auth/login');
    expect(joinPath('polls/', '<int:id>/')).toBe('polls/<int:id>/');
    expect(joinPath('/v1', 'x')).toBe('/v1/x');
    expect(joinPath('', '/x')).toBe('/x');
  });

  it("Flask: a registration's url_prefix replaces the blueprint's own; without one the own prefix stays", () => {
    expect(
      paths('python', {
        'app/__init__.py':
          'from flask import Flask\nfrom app import admin, shop\n\ndef create_app():\n    app = Flask(__name__)\n    app.register_blueprint(admin.bp, url_prefix="/staff")\n    app.register_blueprint(shop.bp)\n    return app\n',
        'app/admin.py':
          'from flask import Blueprint\nbp = Blueprint("admin", __name__, url_prefix="/admin")\n\n@bp.route("/users")\ndef users():\n    return "x"\n',
        'app/shop.py':
          'from flask import Blueprint\nbp = Blueprint("shop", __name__, url_prefix="/shop")\n\n@bp.get("/cart")\ndef cart():\n    return "x"\n',
      }),
    ).toEqual(['/shop/cart', '/staff/users']);
  });

  it("FastAPI: include_router's prefix comes before the router's own", () => {
    expect(
      paths('python', {
        'main.py':
          'from fastapi import FastAPI\nfrom routers import orders\napp = FastAPI()\napp.include_router(orders.router, prefix="/api")\n',
        'routers/orders.py':
          'from fastapi import APIRouter\nrouter = APIRouter(prefix="/orders")\n\n@router.get("/recent")\nasync def recent():\n    return []\n',
      }),
    ).toEqual(['/api/orders/recent']);
  });

  it('Express: a router required inline, mounted on a router that is mounted itself', () => {
    expect(
      paths('node', {
        'app.js':
          "const express = require('express');\nconst api = require('./api');\nconst app = express();\napp.use('/api', api);\napp.listen(3000);\n",
        'api.js':
          "const express = require('express');\nconst router = express.Router();\nrouter.use('/users', require('./users'));\nrouter.get('/ping', (q, s) => s.send('pong'));\nmodule.exports = router;\n",
        'users.js':
          "const { Router } = require('express');\nconst r = Router();\nr.get('/me', (q, s) => s.json({}));\nmodule.exports = r;\n",
      }),
    ).toEqual(['/api/ping', '/api/users/me']);
  });

  it('Gin: a group of a group, and routes on the engine stay bare', () => {
    expect(
      paths('go', {
        'main.go':
          'package main\nfunc main() {\n\tr := gin.Default()\n\tapi := r.Group("/api")\n\tv2 := api.Group("/v2")\n\tv2.GET("/items", h)\n\tr.GET("/healthz", h)\n\tr.Run(":8080")\n}\n',
      }),
    ).toEqual(['/api/v2/items', '/healthz']);
  });
});
