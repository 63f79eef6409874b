require_relative 'formatter'

# Greets people.
class Greeter < BaseGreeter
  def greet(name)
    prefix = "Hello"
    format_name(prefix, name)
  end

  def format_name(prefix, name)
    Formatter.new.format(prefix + name)
  end
end
