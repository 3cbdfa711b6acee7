extension ConsoleTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Collector</title>
        <link rel="stylesheet" href="/console/assets/console.css">
        {{#live}}<script src="/console/assets/console.js" defer></script>{{/live}}
        </head>
        <body>
        <header>
        <nav>
        <a class="brand" href="/console/instances">Collector</a>
        {{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}
        {{#user}}<span class="who">{{name}} · {{role}}</span>
        <form method="post" action="/console/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button id="logout">Log out</button></form>{{/user}}
        </nav>
        </header>
        <main>
        <h1>{{title}}</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <form method="post" action="/console/login" class="login">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        {{#message}}<p class="error" role="alert">{{message}}</p>{{/message}}
        <label>Name <input name="name" autocomplete="username" required value="{{name}}"></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        <button id="login">Log in</button>
        </form>
        """

    static let error = """
        <p class="error" role="alert">{{message}}</p>
        <p><a href="/console/instances">Back to the console</a></p>
        """
}
